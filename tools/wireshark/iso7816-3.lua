-- ISO/IEC 7816-3 transmission records in the reader's pcapng traces: T=1 blocks, PPS, T=0
-- procedure bytes. The trace writer (Terminal/Tracing/PcapngTrace.cs) exports them as "data"
-- records whose protocol column reads "ISO 7816-3 T=1", "ISO 7816-3 PPS" or "ISO 7816-3 T=0";
-- this post-dissector decodes them and hands the information field of I-blocks to Wireshark's own
-- "iso7816" dissector. Without it, Wireshark shows those records as labelled data.
--
-- Use: tshark -X lua_script:tools/wireshark/iso7816-3.lua -r trace.pcapng
-- or copy this file into ~/.local/lib/wireshark/plugins/ (Wireshark 4.x).

local p = Proto("iso7816t1", "ISO/IEC 7816-3 transmission protocols")

local f_nad      = ProtoField.uint8("iso7816t1.nad", "NAD", base.HEX)
local f_nad_dad  = ProtoField.uint8("iso7816t1.nad.dad", "Destination node address", base.DEC, nil, 0x70)
local f_nad_sad  = ProtoField.uint8("iso7816t1.nad.sad", "Source node address", base.DEC, nil, 0x07)
local f_pcb      = ProtoField.uint8("iso7816t1.pcb", "PCB", base.HEX)
local f_type     = ProtoField.string("iso7816t1.block_type", "Block type")
local f_ns       = ProtoField.uint8("iso7816t1.ns", "N(S)", base.DEC, nil, 0x40)
local f_more     = ProtoField.bool("iso7816t1.more", "More data (chaining)", 8, nil, 0x20)
local f_nr       = ProtoField.uint8("iso7816t1.nr", "N(R)", base.DEC, nil, 0x10)
local f_rerr     = ProtoField.uint8("iso7816t1.r_error", "R-block error", base.DEC,
                     { [0] = "error free", [1] = "EDC or parity error", [2] = "other error" }, 0x03)
local f_stype    = ProtoField.uint8("iso7816t1.s_type", "S-block", base.HEX,
                     { [0x00] = "RESYNCH request", [0x20] = "RESYNCH response", [0x01] = "IFS request",
                       [0x21] = "IFS response", [0x02] = "ABORT request", [0x22] = "ABORT response",
                       [0x03] = "WTX request", [0x23] = "WTX response" }, 0x3F)
local f_len      = ProtoField.uint8("iso7816t1.len", "LEN", base.DEC)
local f_inf      = ProtoField.bytes("iso7816t1.inf", "Information field")
local f_ifs      = ProtoField.uint8("iso7816t1.ifs", "IFS", base.DEC)
local f_wtx      = ProtoField.uint8("iso7816t1.wtx", "WTX multiplier", base.DEC)
local f_lrc      = ProtoField.uint8("iso7816t1.lrc", "LRC", base.HEX)
local f_crc      = ProtoField.uint16("iso7816t1.crc", "CRC", base.HEX)
local f_edc_ok   = ProtoField.bool("iso7816t1.edc_good", "EDC correct")
local f_ppss     = ProtoField.uint8("iso7816t1.pps.ppss", "PPSS", base.HEX)
local f_pps0     = ProtoField.uint8("iso7816t1.pps.pps0", "PPS0", base.HEX)
local f_pps_t    = ProtoField.uint8("iso7816t1.pps.protocol", "Protocol T", base.DEC, nil, 0x0F)
local f_pps1     = ProtoField.uint8("iso7816t1.pps.pps1", "PPS1", base.HEX)
local f_pps_fi   = ProtoField.uint16("iso7816t1.pps.fi", "Fi", base.DEC)
local f_pps_di   = ProtoField.uint8("iso7816t1.pps.di", "Di", base.DEC)
local f_pps2     = ProtoField.uint8("iso7816t1.pps.pps2", "PPS2", base.HEX)
local f_pps3     = ProtoField.uint8("iso7816t1.pps.pps3", "PPS3", base.HEX)
local f_pck      = ProtoField.uint8("iso7816t1.pps.pck", "PCK", base.HEX)
local f_pck_ok   = ProtoField.bool("iso7816t1.pps.pck_good", "PCK correct")
local f_proc     = ProtoField.uint8("iso7816t1.t0.procedure", "Procedure byte", base.HEX)
local f_proc_txt = ProtoField.string("iso7816t1.t0.meaning", "Meaning")

p.fields = { f_nad, f_nad_dad, f_nad_sad, f_pcb, f_type, f_ns, f_more, f_nr, f_rerr, f_stype, f_len, f_inf,
             f_ifs, f_wtx, f_lrc, f_crc, f_edc_ok, f_ppss, f_pps0, f_pps_t, f_pps1, f_pps_fi, f_pps_di, f_pps2,
             f_pps3, f_pck, f_pck_ok, f_proc, f_proc_txt }

local col_proto = Field.new("exported_pdu.col_proto_str")
local data_data = Field.new("data.data")

local FI = { [0]=372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0 }
local DI = { [0]=0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0 }

-- The T=1 CRC as libccid (the host's truth) and the firmware compute it: the reflected
-- CCITT polynomial (8408), initial value FFFF, no final XOR; the first EDC byte sent is bits 15-8.
local function crc16(tvb, offset, length)
  local crc = 0xFFFF
  for i = offset, offset + length - 1 do
    crc = bit.bxor(crc, tvb(i, 1):uint())
    for _ = 1, 8 do
      if bit.band(crc, 1) ~= 0 then
        crc = bit.bxor(bit.rshift(crc, 1), 0x8408)
      else
        crc = bit.rshift(crc, 1)
      end
    end
  end
  return crc
end

local function xor_all(tvb, offset, length)
  local x = 0
  for i = offset, offset + length - 1 do x = bit.bxor(x, tvb(i, 1):uint()) end
  return x
end

local function dissect_t1(tvb, pinfo, tree)
  local t = tree:add(p, tvb(), "ISO/IEC 7816-3 T=1 block")
  if tvb:len() < 4 then t:add_expert_info(PI_MALFORMED, PI_ERROR, "block shorter than 4 bytes") return end
  local nad = t:add(f_nad, tvb(0, 1))
  nad:add(f_nad_dad, tvb(0, 1)); nad:add(f_nad_sad, tvb(0, 1))
  local pcb = tvb(1, 1):uint()
  local pt = t:add(f_pcb, tvb(1, 1))
  local len = tvb(2, 1):uint()
  local edc_len = tvb:len() - 3 - len
  local kind
  if bit.band(pcb, 0x80) == 0 then
    kind = "I-block"
    pt:add(f_ns, tvb(1, 1)); pt:add(f_more, tvb(1, 1))
  elseif bit.band(pcb, 0xC0) == 0x80 then
    kind = "R-block"
    pt:add(f_nr, tvb(1, 1)); pt:add(f_rerr, tvb(1, 1))
  else
    kind = "S-block"
    pt:add(f_stype, tvb(1, 1))
  end
  t:add(f_type, tvb(1, 1), kind)
  t:add(f_len, tvb(2, 1))
  if len > 0 and 3 + len <= tvb:len() then
    local inf = tvb(3, len)
    t:add(f_inf, inf)
    if kind == "S-block" then
      local s = bit.band(pcb, 0x1F)
      if s == 0x01 then t:add(f_ifs, tvb(3, 1)) elseif s == 0x03 then t:add(f_wtx, tvb(3, 1)) end
    end
  end
  if edc_len == 1 then
    t:add(f_lrc, tvb(3 + len, 1))
    t:add(f_edc_ok, tvb(3 + len, 1), xor_all(tvb, 0, 3 + len + 1) == 0)
  elseif edc_len == 2 then
    t:add(f_crc, tvb(3 + len, 2))
    t:add(f_edc_ok, tvb(3 + len, 2), crc16(tvb, 0, 3 + len) == tvb(3 + len, 2):uint())
  else
    t:add_expert_info(PI_MALFORMED, PI_ERROR, "LEN does not match the block length")
  end
  pinfo.cols.protocol = "ISO 7816-3 T=1"
  pinfo.cols.info = kind .. string.format(" PCB %02X LEN %d", pcb, len)
  if kind == "I-block" and len > 0 and 3 + len <= tvb:len() then
    local iso = Dissector.get("iso7816")
    if iso then iso:call(tvb(3, len):tvb(), pinfo, tree) end
  end
end

local function dissect_pps(tvb, pinfo, tree)
  local t = tree:add(p, tvb(), "ISO/IEC 7816-3 PPS")
  if tvb:len() < 3 then t:add_expert_info(PI_MALFORMED, PI_ERROR, "PPS shorter than 3 bytes") return end
  t:add(f_ppss, tvb(0, 1))
  local pps0 = tvb(1, 1):uint()
  local p0 = t:add(f_pps0, tvb(1, 1))
  p0:add(f_pps_t, tvb(1, 1))
  local at = 2
  local info = string.format("PPS T=%d", bit.band(pps0, 0x0F))
  if bit.band(pps0, 0x10) ~= 0 and at < tvb:len() then
    local pps1 = tvb(at, 1):uint()
    local p1 = t:add(f_pps1, tvb(at, 1))
    local fi, di = FI[bit.rshift(pps1, 4)], DI[bit.band(pps1, 0x0F)]
    p1:add(f_pps_fi, tvb(at, 1), fi); p1:add(f_pps_di, tvb(at, 1), di)
    info = info .. string.format(" Fi %d Di %d", fi, di)
    at = at + 1
  end
  if bit.band(pps0, 0x20) ~= 0 and at < tvb:len() then t:add(f_pps2, tvb(at, 1)); at = at + 1 end
  if bit.band(pps0, 0x40) ~= 0 and at < tvb:len() then t:add(f_pps3, tvb(at, 1)); at = at + 1 end
  if at < tvb:len() then
    t:add(f_pck, tvb(at, 1))
    t:add(f_pck_ok, tvb(at, 1), xor_all(tvb, 0, at + 1) == 0)
  end
  pinfo.cols.protocol = "ISO 7816-3 PPS"
  pinfo.cols.info = info
end

local function dissect_t0(tvb, pinfo, tree)
  local t = tree:add(p, tvb(), "ISO/IEC 7816-3 T=0 procedure bytes")
  for i = 0, tvb:len() - 1 do
    local b = tvb(i, 1):uint()
    local meaning
    if b == 0x60 then meaning = "NULL: more work waiting time"
    elseif bit.band(b, 0xF0) == 0x60 or bit.band(b, 0xF0) == 0x90 then meaning = "SW1"
    else meaning = "ACK (INS or its complement)" end
    local item = t:add(f_proc, tvb(i, 1))
    item:add(f_proc_txt, tvb(i, 1), meaning)
  end
  pinfo.cols.protocol = "ISO 7816-3 T=0"
end

function p.dissector(tvb, pinfo, tree)
  local proto = col_proto()
  local data = data_data()
  if not proto or not data then return end
  local name = tostring(proto.value)
  local bytes = data.range:tvb()
  if name == "ISO 7816-3 T=1" then dissect_t1(bytes, pinfo, tree)
  elseif name == "ISO 7816-3 PPS" then dissect_pps(bytes, pinfo, tree)
  elseif name == "ISO 7816-3 T=0" then dissect_t0(bytes, pinfo, tree) end
end

register_postdissector(p)
