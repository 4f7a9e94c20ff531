using System.Linq;
using Terminal.Ccid;
using Terminal.Desktop.VirtualBoard;
using Terminal.Iso7816;
using Terminal.Simulator;
using Terminal.Slots;
using Xunit;

namespace Terminal.Tests.Ccid
{
    /// <summary>The slot manager against the simulator's byte-level virtual cards (virtual time).</summary>
    public class CardSlotTests
    {
        private readonly VirtualBoard _board = new VirtualBoard();
        private readonly CardSlot[] _slots;
        private readonly byte[] _buffer = new byte[300];

        public CardSlotTests()
        {
            VirtualBoardBinding binding = new VirtualBoardBinding(_board);
            _slots = new CardSlot[2];
            for (int i = 0; i < 2; i++)
            {
                _slots[i] = new CardSlot(i, binding.GetCardLine(i), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate);
            }
        }

        private int PowerOn(int slot, int voltage = 0)
        {
            return _slots[slot].PowerOn(voltage, _buffer, 0, out _);
        }

        private int Tpdu(int slot, byte[] tpdu, out int length)
        {
            return _slots[slot].TransmitTpdu(tpdu, 0, tpdu.Length, _buffer, 0, 261, out length);
        }

        [Fact]
        public void Iso7816_3_9_Sec1210_ReaderNegotiatesPpsToTheCardsTa1Speed()
        {
            VirtualCard card = _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.None, PowerOn(0));
            Assert.Equal(4, _slots[0].Timing.Di);
            Assert.Equal(4, ((VirtualCardLine)_board.Slots[0].Line).Di);
            Assert.Equal(CcidError.None, Tpdu(0, new byte[] { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 }, out int n));
            Assert.True(_buffer[n - 2] == 0x90 || _buffer[n - 2] == 0x61, "SW1 " + _buffer[n - 2].ToString("X2"));
            Assert.DoesNotContain(card.Observations, o => o.Kind == ReaderObservationKind.MissingPps || o.Kind == ReaderObservationKind.RateMismatch || o.Kind == ReaderObservationKind.CharacterTooEarly);
        }

        [Fact]
        public void Iso7816_3_9_GemPcPinPad_HostPpsInXfrBlockThenSetParametersSwitchesSpeed()
        {
            VirtualCard card = _board.Slots[1].Insert("cps4");
            _slots[1].ReaderDoesPps = false;
            Assert.Equal(CcidError.None, PowerOn(1));
            Assert.Equal(1, _slots[1].Timing.Di);
            byte[] pps = { 0xFF, 0x10, 0x18, 0xFF ^ 0x10 ^ 0x18 };
            Assert.Equal(CcidError.None, Tpdu(1, pps, out int n));
            Assert.Equal(pps, _buffer.Take(n).ToArray());
            byte[] t0 = { 0x18, 0x00, 0xFF, 0x2A, 0x00 };
            Assert.Equal(CcidError.None, _slots[1].SetParameters(0, t0, 0, 5));
            Assert.Equal(12, _slots[1].Timing.Di);
            Assert.Equal(CcidError.None, Tpdu(1, new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x0D, 0xE8, 0x28, 0xBD, 0x08, 0x0F, 0x80, 0x25, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x10 }, out n));
            Assert.Equal(0x61, _buffer[n - 2]);
            Assert.DoesNotContain(card.Observations, o => o.Kind == ReaderObservationKind.RateMismatch || o.Kind == ReaderObservationKind.InvalidPps);
        }

        [Fact]
        public void Ccid_6_1_7_Sec1210_HostSetParametersKeepsTheRateTheReaderNegotiated()
        {
            _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.None, PowerOn(0));
            // libccid sends TA1 (or 11) in bmFindexDindex; the card already runs at the PPS rate.
            Assert.Equal(CcidError.None, _slots[0].SetParameters(0, new byte[] { 0x11, 0x00, 0x00, 0x0A, 0x00 }, 0, 5));
            Assert.Equal(4, _slots[0].Timing.Di);
            Assert.Equal(4, ((VirtualCardLine)_board.Slots[0].Line).Di);
            Assert.Equal(CcidError.None, _slots[0].GetParameters(_buffer, 0, out int protocol, out int length));
            Assert.Equal(0, protocol);
            Assert.Equal(5, length);
            Assert.Equal(0x13, _buffer[0]);
        }

        [Fact]
        public void Iso7816_3_6_2_4_AutomaticClassSelectionEndsAtAClassTheCardAccepts()
        {
            _board.Slots[1].Insert("cps3");
            Assert.Equal(CcidError.None, PowerOn(1));
            VoltageClass used = ((VirtualCardLine)_board.Slots[1].Line).Vcc;
            Assert.Equal(VoltageClass.B, used); // cps3 is class AB: C first (refused), then B, the lowest it takes
            Assert.Equal(CcidStatus.IccActive, _slots[1].IccStatus);
        }

        [Fact]
        public void Ccid_6_1_1_PowerOnAtAClassTheBoardLacksIsClassNotSupported()
        {
            _board.VoltageSupport = 0x01;
            CardSlot slot = new CardSlot(0, _board.Slots[0].Line, null, 0x01, 500000);
            _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.IccClassNotSupported, slot.PowerOn(3, _buffer, 0, out _));
        }

        [Fact]
        public void Ccid_6_1_4_RemovalInTheMiddleOfAnExchangeIsReportedAtOnce()
        {
            VirtualCard card = _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.None, PowerOn(0));
            card.Faults.RemoveAt = card.Faults.RemoveAt < 0 ? 40 : card.Faults.RemoveAt;
            int error = Tpdu(0, new byte[] { 0x00, 0xB0, 0x82, 0x00, 0x50 }, out _);
            Assert.Equal(CcidError.IccMute, error);
            Assert.Equal(CcidStatus.IccAbsent, _slots[0].IccStatus);
        }

        [Fact]
        public void CardAccessLed_LitDuringTheExchangeOnly()
        {
            _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.None, PowerOn(0));
            int before = _board.Indicators.History.Count;
            Tpdu(0, new byte[] { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 }, out _);
            IndicatorEvent[] events = _board.Indicators.History.Skip(before).Where(e => e.Name == "access0").ToArray();
            Assert.Equal(new[] { 1, 0 }, events.Select(e => e.Value).ToArray());
            Assert.False(_board.Indicators.CardAccess(0));
        }

        [Fact]
        public void Iso7816_3_11_T1_IfsRequestFromTheHostIsExchangedAsOneBlock()
        {
            _board.Slots[1].Insert("t1-lrc");
            Assert.Equal(CcidError.None, PowerOn(1));
            Assert.Equal(1, _slots[1].Protocol);
            byte[] t1 = { 0x18, 0x10, 0xFF, 0x45, 0x00, 0xFE, 0x00 };
            Assert.Equal(CcidError.None, _slots[1].SetParameters(1, t1, 0, 7));
            // S(IFS request 254) with its LRC, as libccid sends it after SetParameters.
            byte[] block = { 0x00, 0xC1, 0x01, 0xFE, 0x3E };
            Assert.Equal(CcidError.None, Tpdu(1, block, out int n));
            Assert.Equal(5, n);
            Assert.Equal(new byte[] { 0x00, 0xE1, 0x01, 0xFE, 0x1E }, _buffer.Take(5).ToArray());
        }

        [Fact]
        public void Ccid_6_1_7_SetParametersNamesTheOffsetOfAnUnsupportedValue()
        {
            _board.Slots[0].Insert("vitale2");
            Assert.Equal(CcidError.None, PowerOn(0));
            Assert.Equal(10, _slots[0].SetParameters(0, new byte[] { 0x1F, 0x00, 0x00, 0x0A, 0x00 }, 0, 5));
            Assert.Equal(11, _slots[0].SetParameters(0, new byte[] { 0x13, 0x01, 0x00, 0x0A, 0x00 }, 0, 5));
            Assert.Equal(13, _slots[0].SetParameters(0, new byte[] { 0x13, 0x00, 0x00, 0x00, 0x00 }, 0, 5));
            Assert.Equal(14, _slots[0].SetParameters(0, new byte[] { 0x13, 0x00, 0x00, 0x0A, 0x04 }, 0, 5));
            Assert.Equal(CcidError.IccProtocolNotSupported, _slots[0].SetParameters(1, new byte[] { 0x13, 0x10, 0x00, 0x45, 0x00, 0x20, 0x00 }, 0, 7));
            Assert.Equal(4, _slots[0].Timing.Di);
        }

        // The native USB profile (APDU level): the reader owns the T=1 session, as the conformance
        // runner and `terminal run --profile usb` wire it.
        private CcidDevice ApduLevelDevice()
        {
            foreach (CardSlot slot in _slots)
            {
                slot.ApduLevel = true;
            }
            return new CcidDevice(_slots, ReaderProfile.NativeUsb, "Terminal SESAM reader 0.1.0", 65544);
        }

        private byte[] Send(CcidDevice device, byte type, int slot, params byte[] data)
        {
            byte[] message = new byte[10 + data.Length];
            message[0] = type;
            CcidDevice.WriteInt(message, 1, data.Length);
            message[5] = (byte)slot;
            data.CopyTo(message, 10);
            byte[] reply = new byte[CcidDevice.ResponseBufferLength];
            int n = device.Process(message, message.Length, reply);
            return reply.Take(n).ToArray();
        }

        private static readonly byte[] SelectSimApplication = { 0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x01, 0x53, 0x49, 0x4D };

        [Fact]
        public void Ccid_6_2_6_Iso7816_3_11_6_3_2_AfterTheT1SessionDeactivatedTheCardTheSlotReportsItInactive()
        {
            VirtualCard card = _board.Slots[1].Insert("t1-generic");
            CcidDevice device = ApduLevelDevice();
            Assert.Equal(0x00, Send(device, CcidMessage.IccPowerOn, 1)[7]);
            card.Faults.Mute = true;

            // R-blocks, three S(RESYNCH) requests, then deactivation: bmCommandStatus 1 with
            // DEACTIVATED_PROTOCOL, and bmICCStatus 1 (present, inactive) in the same reply.
            byte[] reply = Send(device, CcidMessage.XfrBlock, 1, SelectSimApplication);
            Assert.Equal(CcidStatus.Failed | CcidStatus.IccInactive, reply[7]);
            Assert.Equal(CcidError.DeactivatedProtocol, reply[8]);
            Assert.Equal(VoltageClass.None, ((VirtualCardLine)_board.Slots[1].Line).Vcc);

            // libccid's IFDHICCPresence reads "inactive after a power-on" as removed and re-inserted.
            reply = Send(device, CcidMessage.GetSlotStatus, 1);
            Assert.Equal(CcidStatus.IccInactive, reply[7]);

            // Nothing is sent to a deactivated card; a new IccPowerOn starts a new session.
            reply = Send(device, CcidMessage.XfrBlock, 1, SelectSimApplication);
            Assert.Equal(CcidStatus.Failed | CcidStatus.IccInactive, reply[7]);
            Assert.Equal(CcidError.IccMute, reply[8]);
            card.Faults.Mute = false;
            Assert.Equal(CcidStatus.IccActive, Send(device, CcidMessage.IccPowerOn, 1)[7]);
            reply = Send(device, CcidMessage.XfrBlock, 1, SelectSimApplication);
            Assert.Equal(CcidStatus.IccActive, reply[7]);
            Assert.Equal(new byte[] { 0x90, 0x00 }, reply.Skip(reply.Length - 2).ToArray());
        }

        [Theory]
        [InlineData(19)]
        [InlineData(21)]
        [InlineData(24)]
        public void Ccid_6_2_6_CardRemovedDuringTheReadersIfsRequestAtPowerOnFailsWithIccMuteAndIccAbsent(int removeAt)
        {
            // t1-generic: 15 ATR characters, 4 of PPS, then the 6 of S(IFS response) (CRC), 19 to 24.
            VirtualCard card = _board.Slots[1].Insert("t1-generic");
            card.Faults.RemoveAt = removeAt;
            CcidDevice device = ApduLevelDevice();
            byte[] reply = Send(device, CcidMessage.IccPowerOn, 1);
            Assert.Equal(CcidStatus.Failed | CcidStatus.IccAbsent, reply[7]);
            Assert.Equal(CcidError.IccMute, reply[8]);
            Assert.Equal(10, reply.Length); // no ATR for a card that is gone
            Assert.Equal(VoltageClass.None, ((VirtualCardLine)_board.Slots[1].Line).Vcc);
        }

        [Fact]
        public void HostGone_EveryCardIsReset()
        {
            _board.Slots[0].Insert("vitale2");
            _board.Slots[1].Insert("cps3");
            CcidDevice device = new CcidDevice(_slots, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            PowerOn(0);
            PowerOn(1);
            device.HostReset();
            Assert.Equal(VoltageClass.None, ((VirtualCardLine)_board.Slots[0].Line).Vcc);
            Assert.Equal(VoltageClass.None, ((VirtualCardLine)_board.Slots[1].Line).Vcc);
            Assert.Equal(CcidStatus.IccInactive, _slots[0].IccStatus);
        }
    }
}
