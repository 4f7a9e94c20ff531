using System.Threading;

namespace Terminal.Ccid
{
    /// <summary>
    /// The CCID device (USB CCID rev 1.1 §6): takes one PC_to_RDR message, runs it on the slot it
    /// names and writes the RDR_to_PC reply. One handler per §6.1 command. It never throws on a
    /// message: a malformed or unsupported one gets a failed reply whose bError names the offset of
    /// the offending field (§6.2.6). The relay path allocates nothing: the reply is written in the
    /// caller's buffer and the card's answer lands there directly.
    /// </summary>
    public sealed class CcidDevice
    {
        /// <summary>Size of the reply buffer <see cref="Process"/> needs.</summary>
        public const int ResponseBufferLength = CcidMessage.MaxMessageLength;

        private readonly ICcidSlot[] _physicalSlots;
        private readonly int[] _reportedChanges;
        private readonly object _busyLock = new object();
        private readonly byte[] _firmware;
        private readonly byte[] _apdu;
        private readonly byte[] _apduResponse;
        private ReaderProfile _profile;
        private bool _busy;
        private int _pendingType = -1;
        private int _pendingSlot;
        private int _pendingSeq;
        private int _apduLength;
        private int _apduResponseLength;
        private int _apduResponseSent;
        private int _apduResponseSlot = -1;
        private bool _notifications;
        private bool _profileSettled;
        private int _pinPadStringsLength;
        private ProfileChangedHandler? _profileChanged;

        /// <summary>Creates the device over the board's slots, presenting <paramref name="profile"/>.</summary>
        /// <param name="physicalSlots">The board's slots (index 0: Carte Vitale, 1: CPx).</param>
        /// <param name="profile">The reader type the host expects.</param>
        /// <param name="firmware">The firmware string answered to the firmware-version Escape: product name and version, under 50 bytes.</param>
        /// <param name="extendedApduLength">Largest extended APDU (and answer) the APDU level assembles; 0 for TPDU-only builds.</param>
        public CcidDevice(ICcidSlot[] physicalSlots, ReaderProfile profile, string firmware, int extendedApduLength)
        {
            _physicalSlots = physicalSlots;
            _reportedChanges = new int[physicalSlots.Length];
            for (int i = 0; i < physicalSlots.Length; i++)
            {
                _reportedChanges[i] = physicalSlots[i].ChangeCount;
            }
            _profile = profile;
            _firmware = new byte[firmware.Length > 49 ? 49 : firmware.Length];
            for (int i = 0; i < _firmware.Length; i++)
            {
                char c = firmware[i];
                _firmware[i] = (byte)(c < 0x20 || c > 0x7E ? '?' : c);
            }
            _apdu = new byte[extendedApduLength];
            _apduResponse = new byte[extendedApduLength];
        }

        /// <summary>The reader type presented to the host.</summary>
        public ReaderProfile Profile
        {
            get { return _profile; }
            set { _profile = value; }
        }

        /// <summary>
        /// When true, the first firmware-version Escape after <see cref="HostReset"/> chooses the
        /// profile: Escape 06 is the SEC1210 driver's, Escape 02 the GemPC drivers'.
        /// </summary>
        public bool RecogniseProfile { get; set; } = true;

        /// <summary>The PIN pad layer, or null (Secure then answers "command not supported").</summary>
        public ICcidSecureHandler? SecureHandler { get; set; }

        /// <summary>True once the host asked for card movement notifications (Escape 01 01 01).</summary>
        public bool NotificationsEnabled => _notifications;

        /// <summary>Length of the PIN pad prompt strings the host sent with Escape B2 A0 00 4D 4C, 0 when none.</summary>
        public int PinPadStringsLength => _pinPadStringsLength;

        /// <summary>True while a command is being processed.</summary>
        public bool Busy => _busy;

        /// <summary>Raised when the host's first command makes the device switch profile.</summary>
        /// <remarks>Explicit accessors: a field-like event compiles to a generic Interlocked.CompareExchange, which nanoFramework lacks.</remarks>
        public event ProfileChangedHandler? ProfileChanged
        {
            add
            {
                lock (_busyLock)
                {
                    _profileChanged = (ProfileChangedHandler?)System.Delegate.Combine(_profileChanged, value);
                }
            }
            remove
            {
                lock (_busyLock)
                {
                    _profileChanged = (ProfileChangedHandler?)System.Delegate.Remove(_profileChanged, value);
                }
            }
        }

        /// <summary>The slot behind CCID slot <paramref name="ccidSlot"/> in the current profile, or null.</summary>
        public ICcidSlot? GetSlot(int ccidSlot)
        {
            int physical = _profile.PhysicalSlot(ccidSlot);
            if (physical < 0 || physical >= _physicalSlots.Length)
            {
                return null;
            }
            return _physicalSlots[physical];
        }

        /// <summary>
        /// Chooses the profile from a command before it is processed (the host's first Escape names
        /// its driver). The link calls it first, because echo depends on the profile.
        /// </summary>
        public void Recognise(byte[] command, int length)
        {
            if (_profileSettled || length < CcidMessage.HeaderLength)
            {
                return;
            }
            _profileSettled = true;
            if (!RecogniseProfile || command[0] != CcidMessage.Escape || length != CcidMessage.HeaderLength + 1)
            {
                return;
            }
            ReaderProfile? wanted = null;
            if (command[10] == 0x06)
            {
                wanted = ReaderProfile.Sec1210;
            }
            else if (command[10] == 0x02 && _profile != ReaderProfile.GemPcPinPad)
            {
                wanted = ReaderProfile.GemPcPinPad;
            }
            if (wanted != null && wanted != _profile)
            {
                _profile = wanted;
                ProfileChangedHandler? handler = _profileChanged;
                if (handler != null)
                {
                    handler(wanted);
                }
            }
        }

        /// <summary>The host went away (link closed): every card is deactivated and start-up state forgotten.</summary>
        public void HostReset()
        {
            for (int i = 0; i < _physicalSlots.Length; i++)
            {
                _physicalSlots[i].PowerOff();
            }
            _notifications = false;
            _profileSettled = false;
            _apduLength = 0;
            _apduResponseSlot = -1;
        }

        /// <summary>
        /// Processes the PC_to_RDR message in <paramref name="command"/>[0..<paramref name="length"/>)
        /// and writes the reply in <paramref name="response"/> (at least <see cref="ResponseBufferLength"/> bytes).
        /// Returns the reply length; 0 only when the message is too short to be answered at all.
        /// </summary>
        public int Process(byte[] command, int length, byte[] response)
        {
            if (length < CcidMessage.HeaderLength)
            {
                return 0;
            }
            lock (_busyLock)
            {
                if (_busy)
                {
                    // bMaxCCIDBusySlots is 1: a second command while one runs is refused (§6.2.6).
                    // The slot belongs to the command in progress: its status is not read from this thread.
                    return Reply(response, ReplyType(command[0]), command, CcidStatus.Failed | CcidStatus.IccAbsent, CcidError.CommandSlotBusy, 0, 0);
                }
                _busy = true;
                _pendingType = ReplyType(command[0]);
                _pendingSlot = command[5];
                _pendingSeq = command[6];
            }
            try
            {
                return Dispatch(command, length, response);
            }
            finally
            {
                lock (_busyLock)
                {
                    _busy = false;
                    _pendingType = -1;
                }
            }
        }

        /// <summary>
        /// Writes a time extension reply for the command in progress (§6.2.6 bmCommandStatus 2, of the
        /// pending command's message type, bError the BWT multiplier 1). Returns 10, or 0 when idle.
        /// </summary>
        public int WriteTimeExtension(byte[] buffer, int offset)
        {
            lock (_busyLock)
            {
                if (!_busy || _pendingType < 0)
                {
                    return 0;
                }
                ICcidSlot? slot = GetSlot(_pendingSlot);
                int icc = slot == null ? CcidStatus.IccAbsent : slot.IccStatus;
                Header(buffer, offset, (byte)_pendingType, 0, (byte)_pendingSlot, (byte)_pendingSeq);
                buffer[offset + 7] = (byte)(CcidStatus.TimeExtension | icc);
                buffer[offset + 8] = 1;
                buffer[offset + 9] = 0;
                return CcidMessage.HeaderLength;
            }
        }

        /// <summary>
        /// Writes RDR_to_PC_NotifySlotChange (§6.3.1) when a card moved since the last one: two bits a
        /// slot, bit 0 present, bit 1 changed. Returns its length, or 0 when nothing moved.
        /// </summary>
        public int WriteSlotChange(byte[] buffer, int offset)
        {
            int slots = _profile.SlotCount;
            int bytes = (slots * 2 + 7) / 8;
            bool any = false;
            buffer[offset] = CcidMessage.NotifySlotChange;
            for (int i = 0; i < bytes; i++)
            {
                buffer[offset + 1 + i] = 0;
            }
            for (int s = 0; s < slots; s++)
            {
                int physical = _profile.PhysicalSlot(s);
                ICcidSlot slot = _physicalSlots[physical];
                int count = slot.ChangeCount;
                int bits = slot.IccStatus == CcidStatus.IccAbsent ? 0 : 1;
                if (count != _reportedChanges[physical])
                {
                    _reportedChanges[physical] = count;
                    bits |= 2;
                    any = true;
                }
                buffer[offset + 1 + s / 4] |= (byte)(bits << ((s % 4) * 2));
            }
            return any ? 1 + bytes : 0;
        }

        /// <summary>
        /// For the serial link's one-byte notifications: returns 0x02 (card removed) or 0x03 (card
        /// inserted) for the next unreported movement on any slot of the profile, or 0 when none.
        /// </summary>
        public int TakeMovement()
        {
            for (int s = 0; s < _profile.SlotCount; s++)
            {
                int physical = _profile.PhysicalSlot(s);
                ICcidSlot slot = _physicalSlots[physical];
                int count = slot.ChangeCount;
                if (count != _reportedChanges[physical])
                {
                    bool present = slot.IccStatus != CcidStatus.IccAbsent;
                    if (present && count - _reportedChanges[physical] > 1)
                    {
                        // Out and in again since the last report: the host hears the removal first.
                        _reportedChanges[physical] = count - 1;
                        return 0x02;
                    }
                    _reportedChanges[physical] = count;
                    return present ? 0x03 : 0x02;
                }
            }
            return 0;
        }

        private int Dispatch(byte[] command, int length, byte[] response)
        {
            byte type = command[0];
            int dataLength = ReadInt(command, 1);
            byte replyType = ReplyType(type);
            if (dataLength < 0 || dataLength != length - CcidMessage.HeaderLength)
            {
                return Reply(response, replyType, command, FailStatus(command[5]), CcidError.BadLength, 0, 0);
            }
            if (replyType == 0)
            {
                // §6.2.6: an unknown bMessageType gets SlotStatus with "command not supported".
                return Reply(response, CcidMessage.SlotStatus, command, FailStatus(command[5]), CcidError.CommandNotSupported, 0, 0);
            }
            if (type == CcidMessage.Escape)
            {
                // Escape addresses the reader, whatever the slot.
                return OnEscape(command, dataLength, response);
            }
            ICcidSlot? slot = GetSlot(command[5]);
            if (slot == null)
            {
                return Reply(response, replyType, command, CcidStatus.Failed | CcidStatus.IccAbsent, CcidError.BadSlot, 0, 0);
            }
            switch (type)
            {
                case CcidMessage.IccPowerOn:
                    return OnIccPowerOn(slot, command, dataLength, response);
                case CcidMessage.IccPowerOff:
                    return OnIccPowerOff(slot, command, response);
                case CcidMessage.GetSlotStatus:
                    return SlotStatusReply(slot, command, response, CcidError.None);
                case CcidMessage.XfrBlock:
                    return OnXfrBlock(slot, command, dataLength, response);
                case CcidMessage.GetParameters:
                    return ParametersReply(slot, command, response, CcidError.None);
                case CcidMessage.ResetParameters:
                    return OnResetParameters(slot, command, dataLength, response);
                case CcidMessage.SetParameters:
                    return OnSetParameters(slot, command, dataLength, response);
                case CcidMessage.IccClock:
                    return OnIccClock(slot, command, dataLength, response);
                case CcidMessage.T0Apdu:
                    return OnT0Apdu(slot, command, dataLength, response);
                case CcidMessage.Secure:
                    return OnSecure(slot, command, dataLength, response);
                case CcidMessage.Mechanical:
                    // §6.1.12: the connectors have no mechanism (dwMechanical 0).
                    return SlotStatusReply(slot, command, response, CcidError.CommandNotSupported);
                case CcidMessage.Abort:
                    return OnAbort(slot, command, response);
                default:
                    return OnSetDataRateAndClockFrequency(slot, command, dataLength, response);
            }
        }

        // §6.1.1 PC_to_RDR_IccPowerOn -> RDR_to_PC_DataBlock with the ATR.
        private int OnIccPowerOn(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            if (dataLength != 0)
            {
                return DataBlockReply(slot, command, response, CcidError.BadLength, 0);
            }
            int power = command[7];
            if (power > 3)
            {
                return DataBlockReply(slot, command, response, CcidError.BadParameter7, 0);
            }
            _apduResponseSlot = -1;
            int atrLength;
            int error = slot.PowerOn(power, response, CcidMessage.HeaderLength, out atrLength);
            return DataBlockReply(slot, command, response, error, error == CcidError.None ? atrLength : 0);
        }

        // §6.1.2 PC_to_RDR_IccPowerOff -> RDR_to_PC_SlotStatus.
        private int OnIccPowerOff(ICcidSlot slot, byte[] command, byte[] response)
        {
            slot.PowerOff();
            _apduResponseSlot = -1;
            return SlotStatusReply(slot, command, response, CcidError.None);
        }

        // §6.1.4 PC_to_RDR_XfrBlock -> RDR_to_PC_DataBlock.
        private int OnXfrBlock(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            int icc = slot.IccStatus;
            if (icc != CcidStatus.IccActive)
            {
                return DataBlockReply(slot, command, response, CcidError.IccMute, 0);
            }
            if (_profile.Level == ExchangeLevel.ExtendedApdu)
            {
                return OnXfrBlockApdu(slot, command, dataLength, response);
            }
            if (dataLength == 0)
            {
                return DataBlockReply(slot, command, response, CcidError.BadLength, 0);
            }
            int error;
            int answerLength;
            ICcidSecureHandler? secure = SecureHandler;
            if (secure == null || !secure.TryIntercept(command[5], command, CcidMessage.HeaderLength, dataLength, response, CcidMessage.HeaderLength, CcidMessage.MaxDataLength, out answerLength, out error))
            {
                error = slot.TransmitTpdu(command, CcidMessage.HeaderLength, dataLength, response, CcidMessage.HeaderLength, CcidMessage.MaxDataLength, out answerLength);
            }
            return DataBlockReply(slot, command, response, error, error == CcidError.None ? answerLength : 0);
        }

        // §6.1.4 with wLevelParameter (extended APDU level, Table 6.1-3): 0 whole, 1 begins, 2 ends, 3 continues, 0x10 asks for more response.
        private int OnXfrBlockApdu(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            int level = command[8] | (command[9] << 8);
            byte slotIndex = command[5];
            if (level == 0x10)
            {
                if (_apduResponseSlot != slotIndex || dataLength != 0)
                {
                    return DataBlockReply(slot, command, response, CcidError.BadParameter8, 0);
                }
                return SendResponseChunk(slot, command, response);
            }
            if (level > 3)
            {
                return DataBlockReply(slot, command, response, CcidError.BadParameter8, 0);
            }
            if (level == 0 || level == 1)
            {
                _apduLength = 0;
                _apduResponseSlot = -1;
            }
            if (_apduLength + dataLength > _apdu.Length)
            {
                _apduLength = 0;
                return DataBlockReply(slot, command, response, CcidError.XfrOverrun, 0);
            }
            System.Array.Copy(command, CcidMessage.HeaderLength, _apdu, _apduLength, dataLength);
            _apduLength += dataLength;
            if (level == 1 || level == 3)
            {
                // More command data to come: an empty DataBlock with bChainParameter 0x10 asks for it.
                int n = DataBlockReply(slot, command, response, CcidError.None, 0);
                response[9] = 0x10;
                return n;
            }
            int total = _apduLength;
            _apduLength = 0;
            int error;
            int answerLength;
            ICcidSecureHandler? secure = SecureHandler;
            if (secure == null || !secure.TryIntercept(slotIndex, _apdu, 0, total, _apduResponse, 0, _apduResponse.Length, out answerLength, out error))
            {
                error = slot.TransmitApdu(_apdu, 0, total, _apduResponse, 0, _apduResponse.Length, out answerLength);
            }
            if (error != CcidError.None)
            {
                return DataBlockReply(slot, command, response, error, 0);
            }
            _apduResponseLength = answerLength;
            _apduResponseSent = 0;
            _apduResponseSlot = slotIndex;
            return SendResponseChunk(slot, command, response);
        }

        private int SendResponseChunk(ICcidSlot slot, byte[] command, byte[] response)
        {
            int remaining = _apduResponseLength - _apduResponseSent;
            int chunk = remaining > CcidMessage.MaxDataLength ? CcidMessage.MaxDataLength : remaining;
            System.Array.Copy(_apduResponse, _apduResponseSent, response, CcidMessage.HeaderLength, chunk);
            bool first = _apduResponseSent == 0;
            _apduResponseSent += chunk;
            bool last = _apduResponseSent >= _apduResponseLength;
            if (last)
            {
                _apduResponseSlot = -1;
            }
            int n = DataBlockReply(slot, command, response, CcidError.None, chunk);
            // bChainParameter (§6.2.1): 0 whole, 1 begins, 2 ends, 3 continues.
            response[9] = (byte)(first ? (last ? 0 : 1) : (last ? 2 : 3));
            return n;
        }

        // §6.1.6 PC_to_RDR_ResetParameters -> RDR_to_PC_Parameters.
        private int OnResetParameters(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            if (dataLength != 0)
            {
                return ParametersReply(slot, command, response, CcidError.BadLength);
            }
            return ParametersReply(slot, command, response, slot.ResetParameters());
        }

        // §6.1.7 PC_to_RDR_SetParameters -> RDR_to_PC_Parameters; abProtocolDataStructure of Table 6.1-7 (T=0, 5 bytes) or 6.1-8 (T=1, 7 bytes).
        private int OnSetParameters(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            int protocol = command[7];
            if (protocol > 1)
            {
                return ParametersReply(slot, command, response, CcidError.BadParameter7);
            }
            if (dataLength != (protocol == 0 ? 5 : 7))
            {
                return ParametersReply(slot, command, response, CcidError.BadLength);
            }
            if (slot.IccStatus == CcidStatus.IccAbsent)
            {
                return ParametersReply(slot, command, response, CcidError.IccMute);
            }
            return ParametersReply(slot, command, response, slot.SetParameters(protocol, command, CcidMessage.HeaderLength, dataLength));
        }

        // §6.1.8 PC_to_RDR_Escape -> RDR_to_PC_Escape: the start-up Escapes of libccid's serial driver (design/pcsc-serial.md).
        private int OnEscape(byte[] command, int dataLength, byte[] response)
        {
            byte slotIndex = command[5];
            int icc = CcidStatus.IccAbsent;
            ICcidSlot? slot = GetSlot(slotIndex);
            if (slot != null)
            {
                icc = slot.IccStatus;
            }
            if (dataLength == 0)
            {
                return Reply(response, CcidMessage.EscapeResponse, command, CcidStatus.Failed | icc, CcidError.BadLength, 0, 0);
            }
            int d = CcidMessage.HeaderLength;
            byte first = command[d];
            if ((first == 0x02 || first == 0x06) && dataLength == 1)
            {
                // Firmware version: GemPC drivers send 02, the SEC1210 driver 06. Text under 50 bytes.
                System.Array.Copy(_firmware, 0, response, d, _firmware.Length);
                return Reply(response, CcidMessage.EscapeResponse, command, icc, CcidError.None, 0, _firmware.Length);
            }
            if (first == 0x01 && dataLength == 3 && command[d + 1] == 0x01 && command[d + 2] == 0x01)
            {
                // Card movement notification, synchronous mode: `50 02` / `50 03` after the command and before the answer.
                _notifications = true;
                return Reply(response, CcidMessage.EscapeResponse, command, icc, CcidError.None, 0, 0);
            }
            if (first == 0x6A && dataLength == 1)
            {
                // Gemalto firmware features: libccid tolerates a failure and keeps its defaults, which
                // match this reader (no Gemalto display extensions are claimed).
                return Reply(response, CcidMessage.EscapeResponse, command, CcidStatus.Failed | icc, CcidError.CommandNotSupported, 0, 0);
            }
            if (first == 0xB2 && dataLength >= 5 && command[d + 1] == 0xA0 && command[d + 2] == 0x00 && command[d + 3] == 0x4D && command[d + 4] == 0x4C)
            {
                // GemPCPinPad prompt strings ("ML"): accepted, their length kept for the PIN pad layer.
                _pinPadStringsLength = dataLength - 5;
                return Reply(response, CcidMessage.EscapeResponse, command, icc, CcidError.None, 0, 0);
            }
            return Reply(response, CcidMessage.EscapeResponse, command, CcidStatus.Failed | icc, CcidError.CommandNotSupported, 0, 0);
        }

        // §6.1.9 PC_to_RDR_IccClock -> RDR_to_PC_SlotStatus.
        private int OnIccClock(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            if (dataLength != 0)
            {
                return SlotStatusReply(slot, command, response, CcidError.BadLength);
            }
            int clockCommand = command[7];
            if (clockCommand > 1)
            {
                return SlotStatusReply(slot, command, response, CcidError.BadParameter7);
            }
            if (slot.IccStatus != CcidStatus.IccActive)
            {
                return SlotStatusReply(slot, command, response, CcidError.IccMute);
            }
            return SlotStatusReply(slot, command, response, slot.SetClock(clockCommand == 1));
        }

        // §6.1.10 PC_to_RDR_T0APDU -> RDR_to_PC_SlotStatus. At TPDU level the host follows 61xx/6Cxx
        // itself; the class bytes only matter to the APDU level, which uses the card's own CLA.
        private int OnT0Apdu(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            if (dataLength != 0)
            {
                return SlotStatusReply(slot, command, response, CcidError.BadLength);
            }
            if ((command[7] & 0xFC) != 0)
            {
                return SlotStatusReply(slot, command, response, CcidError.BadParameter7);
            }
            return SlotStatusReply(slot, command, response, CcidError.None);
        }

        // §6.1.11 PC_to_RDR_Secure -> RDR_to_PC_DataBlock.
        private int OnSecure(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            ICcidSecureHandler? secure = SecureHandler;
            if (secure == null || _profile.PinSupport == 0)
            {
                return DataBlockReply(slot, command, response, CcidError.CommandNotSupported, 0);
            }
            if (slot.IccStatus != CcidStatus.IccActive)
            {
                return DataBlockReply(slot, command, response, CcidError.IccMute, 0);
            }
            int answerLength;
            int error = secure.Secure(command[5], command, CcidMessage.HeaderLength, dataLength, response, CcidMessage.HeaderLength, CcidMessage.MaxDataLength, out answerLength);
            return DataBlockReply(slot, command, response, error, error == CcidError.None ? answerLength : 0);
        }

        // §6.1.13 PC_to_RDR_Abort -> RDR_to_PC_SlotStatus. Commands run to completion one at a time,
        // so nothing is left to abort once this arrives; pending APDU-level chains are dropped.
        private int OnAbort(ICcidSlot slot, byte[] command, byte[] response)
        {
            _apduLength = 0;
            _apduResponseSlot = -1;
            return SlotStatusReply(slot, command, response, CcidError.None);
        }

        // §6.1.14 PC_to_RDR_SetDataRateAndClockFrequency -> RDR_to_PC_DataRateAndClockFrequency.
        private int OnSetDataRateAndClockFrequency(ICcidSlot slot, byte[] command, int dataLength, byte[] response)
        {
            int icc = slot.IccStatus;
            if (dataLength != 8)
            {
                return Reply(response, CcidMessage.DataRateAndClockFrequency, command, CcidStatus.Failed | icc, CcidError.BadLength, 0, 0);
            }
            int clock = ReadInt(command, 10);
            int rate = ReadInt(command, 14);
            int actualClock;
            int actualRate;
            int error = slot.SetDataRateAndClock(clock, rate, out actualClock, out actualRate);
            if (error != CcidError.None)
            {
                return Reply(response, CcidMessage.DataRateAndClockFrequency, command, CcidStatus.Failed | slot.IccStatus, error, 0, 0);
            }
            WriteInt(response, 10, actualClock);
            WriteInt(response, 14, actualRate);
            return Reply(response, CcidMessage.DataRateAndClockFrequency, command, slot.IccStatus, CcidError.None, 0, 8);
        }

        private int DataBlockReply(ICcidSlot slot, byte[] command, byte[] response, int error, int length)
        {
            int status = slot.IccStatus | (error == CcidError.None ? 0 : CcidStatus.Failed);
            return Reply(response, CcidMessage.DataBlock, command, status, error, 0, length);
        }

        private int SlotStatusReply(ICcidSlot slot, byte[] command, byte[] response, int error)
        {
            int status = slot.IccStatus | (error == CcidError.None ? 0 : CcidStatus.Failed);
            return Reply(response, CcidMessage.SlotStatus, command, status, error, slot.ClockStatus, 0);
        }

        // §6.2.3 RDR_to_PC_Parameters: the parameters in force, also after a failed SetParameters.
        private int ParametersReply(ICcidSlot slot, byte[] command, byte[] response, int error)
        {
            int protocol = 0;
            int length = 0;
            if (slot.IccStatus != CcidStatus.IccAbsent)
            {
                int readError = slot.GetParameters(response, CcidMessage.HeaderLength, out protocol, out length);
                if (readError != CcidError.None)
                {
                    length = 0;
                    protocol = 0;
                    if (error == CcidError.None)
                    {
                        error = readError;
                    }
                }
            }
            else if (error == CcidError.None)
            {
                error = CcidError.IccMute;
            }
            int status = slot.IccStatus | (error == CcidError.None ? 0 : CcidStatus.Failed);
            return Reply(response, CcidMessage.Parameters, command, status, error, protocol, error == CcidError.None ? length : 0);
        }

        // §6.2.6: a failed reply still reports the addressed slot's ICC status (absent only for a slot that does not exist).
        private int FailStatus(int slotIndex)
        {
            ICcidSlot? slot = GetSlot(slotIndex);
            return CcidStatus.Failed | (slot == null ? CcidStatus.IccAbsent : slot.IccStatus);
        }

        private static int Reply(byte[] response, byte type, byte[] command, int status, int error, int specific, int length)
        {
            Header(response, 0, type, length, command[5], command[6]);
            response[7] = (byte)status;
            response[8] = (byte)(error == CcidError.None ? 0 : error);
            response[9] = (byte)specific;
            return CcidMessage.HeaderLength + length;
        }

        private static void Header(byte[] buffer, int offset, byte type, int length, byte slot, byte seq)
        {
            buffer[offset] = type;
            WriteInt(buffer, offset + 1, length);
            buffer[offset + 5] = slot;
            buffer[offset + 6] = seq;
        }

        /// <summary>The RDR_to_PC message type answering a PC_to_RDR type (§6.2), 0 for an unknown type.</summary>
        public static byte ReplyType(byte commandType)
        {
            switch (commandType)
            {
                case CcidMessage.IccPowerOn:
                case CcidMessage.XfrBlock:
                case CcidMessage.Secure:
                    return CcidMessage.DataBlock;
                case CcidMessage.IccPowerOff:
                case CcidMessage.GetSlotStatus:
                case CcidMessage.IccClock:
                case CcidMessage.T0Apdu:
                case CcidMessage.Mechanical:
                case CcidMessage.Abort:
                    return CcidMessage.SlotStatus;
                case CcidMessage.GetParameters:
                case CcidMessage.ResetParameters:
                case CcidMessage.SetParameters:
                    return CcidMessage.Parameters;
                case CcidMessage.Escape:
                    return CcidMessage.EscapeResponse;
                case CcidMessage.SetDataRateAndClockFrequency:
                    return CcidMessage.DataRateAndClockFrequency;
                default:
                    return 0;
            }
        }

        /// <summary>Reads a little-endian 32-bit field (dwLength and friends).</summary>
        public static int ReadInt(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24);
        }

        /// <summary>Writes a little-endian 32-bit field.</summary>
        public static void WriteInt(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }
    }

    /// <summary>Tells that the device switched profile after recognising the host's driver.</summary>
    public delegate void ProfileChangedHandler(ReaderProfile profile);
}
