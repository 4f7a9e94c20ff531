using System;
using System.IO;

namespace Terminal.Simulator
{
    /// <summary>T=1, card side: blocks with LRC or CRC, IFS, chaining both ways, WTX, RESYNCH, ABORT, error recovery.</summary>
    public sealed partial class VirtualCard
    {
        private readonly byte[] _t1Rx = new byte[3 + 255 + 2];
        private int _t1RxCount;
        private int _nsCard;
        private int _nrExpected;
        private int _ifsd;
        private MemoryStream _apduIn = new MemoryStream();
        private byte[]? _respOut;
        private int _respOffset;
        private bool _respChaining;
        private byte[]? _lastBlock;
        private int _blockIndex;
        private bool _awaitingWtx;
        private byte[]? _heldBlock;
        private long _heldReady;
        private bool _awaitingAbort;
        private bool _wtxFaultDone;
        private bool _abortFaultDone;

        /// <summary>IFSD the reader announced (32 until an S(IFS request)).</summary>
        public int Ifsd => _ifsd;

        private int EdcLength => Atr.Crc ? 2 : 1;

        private void InitT1()
        {
            _t1RxCount = 0;
            _nsCard = 0;
            _nrExpected = 0;
            _ifsd = 32;
            _apduIn = new MemoryStream();
            _respOut = null;
            _respOffset = 0;
            _respChaining = false;
            _lastBlock = null;
            _blockIndex = 0;
            _awaitingWtx = false;
            _heldBlock = null;
            _awaitingAbort = false;
            _wtxFaultDone = false;
            _abortFaultDone = false;
        }

        /// <summary>CWT = (11 + 2^CWI) ETU.</summary>
        private long CwtCycles() => Etu(11 + (1 << Atr.Cwi));

        /// <summary>BWT = 11 ETU + 2^BWI x 960 x 372 clock cycles.</summary>
        private long BwtCycles() => Etu(11) + (1L << Atr.Bwi) * 960L * 372L;

        private void T1Character(byte value, long start)
        {
            _t1Rx[_t1RxCount++] = value;
            if (_t1RxCount < 3) { return; }
            int len = _t1Rx[2];
            if (len == 255)
            {
                Note(ReaderObservationKind.ProtocolError, start, "T=1 block with LEN FF");
                _t1RxCount = 0;
                SendR(2, start);
                return;
            }
            if (_t1RxCount < 3 + len + EdcLength) { return; }
            int total = _t1RxCount;
            _t1RxCount = 0;
            T1Block(total, start);
        }

        private void T1Block(int total, long lastStart)
        {
            long t0 = lastStart + Etu(22);
            int len = _t1Rx[2];
            if (!Edc.Check(_t1Rx, 0, total, Atr.Crc))
            {
                Note(ReaderObservationKind.BadEdc, lastStart, $"block {Hex.Format(_t1Rx, 0, total)} has a wrong EDC");
                SendR(1, t0);
                return;
            }
            if (len > Atr.Ifsc)
            {
                Note(ReaderObservationKind.ProtocolError, lastStart, $"block of {len} bytes exceeds IFSC {Atr.Ifsc}");
                SendR(2, t0);
                return;
            }
            byte pcb = _t1Rx[1];
            if ((pcb & 0x80) == 0)
            {
                IBlock(pcb, len, t0, lastStart);
            }
            else if ((pcb & 0xC0) == 0x80)
            {
                RBlock(pcb, t0, lastStart);
            }
            else
            {
                SBlock(pcb, len, t0, lastStart);
            }
        }

        private void IBlock(byte pcb, int len, long t0, long at)
        {
            int ns = (pcb >> 6) & 1;
            bool more = (pcb & 0x20) != 0;
            if (_respChaining)
            {
                Note(ReaderObservationKind.WrongBlockSequence, at, "I-block while the card was chaining its response (R-block expected)");
                SendR(2, t0);
                return;
            }
            if (ns != _nrExpected)
            {
                Note(ReaderObservationKind.WrongBlockSequence, at, $"I-block N(S)={ns}, expected {_nrExpected}");
                SendR(2, t0);
                return;
            }
            _nrExpected ^= 1;
            _apduIn.Write(_t1Rx, 3, len);
            if (more)
            {
                SendR(0, t0);
                return;
            }
            byte[] apdu = _apduIn.ToArray();
            _apduIn = new MemoryStream();
            ApduCommand? cmd = ApduCommand.Parse(apdu, 0, apdu.Length);
            ApduResponse r = cmd == null ? ApduResponse.Status(Sw.WrongLength) : Run(cmd);
            long work = WorkCycles(cmd == null ? (byte)0 : cmd.Ins, r);
            _respOut = r.ToBytes();
            _respOffset = 0;
            long ready = t0 + work;
            if (Etu(22) + work > BwtCycles() - Etu(11))
            {
                // The card needs more than BWT: ask for waiting time extension first.
                long bwt = BwtCycles();
                int m = (int)Math.Min(255, (work + bwt - 1) / bwt + 1);
                _heldBlock = NextResponseBlock();
                _heldReady = ready;
                _awaitingWtx = true;
                EmitBlock(new byte[] { 0, 0xC3, 1, (byte)m }, t0);
                return;
            }
            EmitBlock(NextResponseBlock(), ready);
        }

        private byte[] NextResponseBlock()
        {
            byte[] resp = _respOut!;
            int chunk = Math.Min(_ifsd, resp.Length - _respOffset);
            bool more = _respOffset + chunk < resp.Length;
            byte pcb = (byte)((_nsCard << 6) | (more ? 0x20 : 0));
            _nsCard ^= 1;
            byte[] block = MakeBlock(pcb, resp, _respOffset, chunk);
            _respOffset += chunk;
            _respChaining = more;
            if (!more) { _respOut = null; }
            return block;
        }

        private void RBlock(byte pcb, long t0, long at)
        {
            int nr = (pcb >> 4) & 1;
            if (_awaitingAbort)
            {
                Note(ReaderObservationKind.ProtocolError, at, "R-block while the card waited for S(ABORT response)");
            }
            if (_respChaining && nr == _nsCard)
            {
                // The reader acknowledges our last chained block and asks for the next one.
                EmitBlock(NextResponseBlock(), t0);
                return;
            }
            if (_lastBlock != null)
            {
                EmitBlock(_lastBlock, t0, retransmission: true);
                return;
            }
            Note(ReaderObservationKind.WrongBlockSequence, at, $"R-block N(R)={nr} with nothing to repeat");
            SendR(2, t0);
        }

        private void SBlock(byte pcb, int len, long t0, long at)
        {
            switch (pcb)
            {
                case 0xC1: // IFS request
                    if (len != 1 || _t1Rx[3] == 0 || _t1Rx[3] == 0xFF)
                    {
                        Note(ReaderObservationKind.ProtocolError, at, "S(IFS request) with a bad IFSD");
                        SendR(2, t0);
                        return;
                    }
                    _ifsd = _t1Rx[3];
                    EmitBlock(new byte[] { 0, 0xE1, 1, _t1Rx[3] }, t0);
                    return;
                case 0xC0: // RESYNCH request
                    _nsCard = 0;
                    _nrExpected = 0;
                    _respChaining = false;
                    _respOut = null;
                    _apduIn = new MemoryStream();
                    EmitBlock(new byte[] { 0, 0xE0, 0 }, t0);
                    return;
                case 0xC2: // ABORT request from the reader
                    _respChaining = false;
                    _respOut = null;
                    _apduIn = new MemoryStream();
                    EmitBlock(new byte[] { 0, 0xE2, 0 }, t0);
                    return;
                case 0xE2: // ABORT response to our request
                    if (!_awaitingAbort)
                    {
                        Note(ReaderObservationKind.ProtocolError, at, "S(ABORT response) without a request");
                    }
                    _awaitingAbort = false;
                    _respChaining = false;
                    _respOut = null;
                    _heldBlock = null;
                    return;
                case 0xE3: // WTX response
                    if (!_awaitingWtx)
                    {
                        Note(ReaderObservationKind.ProtocolError, at, "S(WTX response) without a request");
                        return;
                    }
                    _awaitingWtx = false;
                    byte[] held = _heldBlock!;
                    _heldBlock = null;
                    EmitBlock(held, Math.Max(_heldReady, t0));
                    return;
                default:
                    Note(ReaderObservationKind.ProtocolError, at, $"unexpected S-block PCB {pcb:X2}");
                    SendR(2, t0);
                    return;
            }
        }

        private void SendR(int error, long t0)
        {
            EmitBlock(MakeBlock((byte)(0x80 | (_nrExpected << 4) | error), Array.Empty<byte>(), 0, 0), t0);
        }

        /// <summary>A block from NAD/PCB/LEN(+INF) without EDC, or a full block; the EDC is (re)computed.</summary>
        private byte[] MakeBlock(byte pcb, byte[] inf, int offset, int count)
        {
            var b = new byte[3 + count + EdcLength];
            b[0] = 0;
            b[1] = pcb;
            b[2] = (byte)count;
            Buffer.BlockCopy(inf, offset, b, 3, count);
            Edc.Append(b, 3 + count, Atr.Crc);
            return b;
        }

        private void EmitBlock(byte[] block, long earliest, bool retransmission = false)
        {
            if (block.Length == 3 + block[2])
            {
                // S-blocks given without EDC.
                var full = new byte[block.Length + EdcLength];
                Buffer.BlockCopy(block, 0, full, 0, block.Length);
                Edc.Append(full, block.Length, Atr.Crc);
                block = full;
            }
            else if (block.Length == 4 && block[2] == 1)
            {
                var full = new byte[4 + EdcLength];
                Buffer.BlockCopy(block, 0, full, 0, 4);
                Edc.Append(full, 4, Atr.Crc);
                block = full;
            }
            int index = _blockIndex;
            if (!_wtxFaultDone && index == Faults.WtxBeforeBlock)
            {
                _wtxFaultDone = true;
                _blockIndex++;
                _heldBlock = block;
                _heldReady = earliest;
                _awaitingWtx = true;
                byte[] wtx = MakeBlock(0xC3, new byte[] { 1 }, 0, 1);
                SendRaw(wtx, earliest);
                return;
            }
            if (!_abortFaultDone && index == Faults.AbortBeforeBlock)
            {
                _abortFaultDone = true;
                _blockIndex++;
                _awaitingAbort = true;
                if ((block[1] & 0x80) == 0)
                {
                    // The dropped I-block never went out: its N(S) is still the next one.
                    _nsCard ^= 1;
                }
                SendRaw(MakeBlock(0xC2, Array.Empty<byte>(), 0, 0), earliest);
                return;
            }
            _blockIndex++;
            if ((block[1] & 0xC0) != 0xC0 || block[1] == 0xC3)
            {
                _lastBlock = block;
            }
            if (!retransmission && index == Faults.WrongEdcOnBlock)
            {
                var bad = (byte[])block.Clone();
                bad[bad.Length - 1] ^= 0x5A;
                SendRaw(bad, earliest);
                return;
            }
            SendRaw(block, earliest);
        }

        private void SendRaw(byte[] block, long earliest)
        {
            int etu = Math.Max(11, Profile.Timing.T1CharacterEtu);
            for (int i = 0; i < block.Length; i++) { Emit(block[i], i == 0 ? earliest : 0, etu); }
        }
    }

    /// <summary>The error detection codes of T=1 (ISO/IEC 7816-3 §11.4.4).</summary>
    public static class Edc
    {
        /// <summary>LRC: XOR of the bytes.</summary>
        public static byte Lrc(byte[] b, int offset, int count)
        {
            byte x = 0;
            for (int i = 0; i < count; i++) { x ^= b[offset + i]; }
            return x;
        }

        /// <summary>CRC-16 of ISO/IEC 13239 as readers implement it for T=1 (reflected CCITT, initial FFFF, sent high byte first).</summary>
        public static ushort Crc(byte[] b, int offset, int count)
        {
            int crc = 0xFFFF;
            for (int i = 0; i < count; i++)
            {
                crc ^= b[offset + i];
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x8408 : crc >> 1;
                }
            }
            return (ushort)crc;
        }

        /// <summary>Writes the EDC of b[0..length) at b[length].</summary>
        public static void Append(byte[] b, int length, bool crc)
        {
            if (crc)
            {
                ushort c = Crc(b, 0, length);
                b[length] = (byte)(c >> 8);
                b[length + 1] = (byte)c;
            }
            else
            {
                b[length] = Lrc(b, 0, length);
            }
        }

        /// <summary>True when the last 1 (LRC) or 2 (CRC) bytes of the block check.</summary>
        public static bool Check(byte[] b, int offset, int total, bool crc)
        {
            if (crc)
            {
                if (total < 5) { return false; }
                ushort c = Crc(b, offset, total - 2);
                return b[offset + total - 2] == (byte)(c >> 8) && b[offset + total - 1] == (byte)c;
            }
            if (total < 4) { return false; }
            return Lrc(b, offset, total - 1) == b[offset + total - 1];
        }
    }
}
