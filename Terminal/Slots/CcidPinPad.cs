using Terminal.Ccid;
using Terminal.PinPad;

namespace Terminal.Slots
{
    /// <summary>
    /// The PIN pad as the CCID device's <see cref="ICcidSecureHandler"/>: PC_to_RDR_Secure runs the
    /// secure PIN service on the slot's card; every command a host sends to a card (a T=0 TPDU, the
    /// INF of a T=1 I-block, a whole APDU at APDU level) first meets the pseudo-APDU interceptor
    /// (TR-03119 boxing, PC/SC part 10 PPDU) and then the clear-PIN policy (6982). In T=1 a reader
    /// answer goes back in an I-block whose sequence numbers the host expects (see
    /// <see cref="CardSlot.TakeReaderAnswerPcb"/>). Nothing is allocated per command.
    /// </summary>
    public sealed class CcidPinPad : ICcidSecureHandler
    {
        private readonly CcidDevice _device;
        private readonly SecurePinService _service;
        private readonly PinPadInterceptor _interceptor;
        private readonly PinPolicy _policy;
        private readonly SlotSecureChannel[] _channels;
        private readonly T1AnswerChain[] _chains;
        private readonly T1CommandChain[] _commands;

        /// <summary>The PIN pad over <paramref name="slots"/> (indexed as on the board), answering for <paramref name="device"/>.</summary>
        public CcidPinPad(CcidDevice device, CardSlot[] slots, SecurePinService service, ReaderProperties properties, PinPolicy policy)
        {
            _device = device;
            _service = service;
            _interceptor = new PinPadInterceptor(service, properties);
            _policy = policy;
            _channels = new SlotSecureChannel[slots.Length];
            _chains = new T1AnswerChain[slots.Length];
            _commands = new T1CommandChain[slots.Length];
            for (int i = 0; i < slots.Length; i++)
            {
                _channels[i] = new SlotSecureChannel(slots[i]);
                _chains[i] = new T1AnswerChain(CcidDevice.ResponseBufferLength);
                _commands[i] = new T1CommandChain(T1CommandChain.DefaultCapacity);
            }
        }

        /// <summary>PACE and its secure messaging (null: the PACE functions are refused like any unknown operation).</summary>
        public CcidPace? Pace { get; set; }

        /// <summary>The secure PIN service (its buffers and entry state are observable by tests).</summary>
        public SecurePinService Service => _service;

        /// <summary>The clear-PIN policy.</summary>
        public PinPolicy Policy => _policy;

        /// <summary>The result of the last PIN operation (no digits in it), or null.</summary>
        public SecurePinResult? LastResult { get; private set; }

        /// <summary>Called after every PIN operation (Secure, boxed or PPDU) with its result (no digits in it) and whether every buffer that held a digit is zero again.</summary>
        public PinOperationHandler? OperationFinished { get; set; }

        /// <summary>True when the service's PIN and APDU buffers and every slot channel's framing buffers are all zero.</summary>
        public bool BuffersAreClear
        {
            get
            {
                bool clear = _service.BuffersAreClear;
                for (int i = 0; i < _channels.Length; i++)
                {
                    clear &= _channels[i].BuffersAreClear;
                }
                return clear;
            }
        }

        /// <summary>Commands refused by the clear-PIN policy so far.</summary>
        public int RefusedClearPins { get; private set; }

        /// <summary>The link that keeps the host waiting during an entry.</summary>
        public IHostKeepAlive? KeepAlive
        {
            set
            {
                for (int i = 0; i < _channels.Length; i++)
                {
                    _channels[i].KeepAlive = value;
                }
            }
        }

        /// <summary>
        /// Makes the PIN pad's exchanges with the card of physical slot <paramref name="slot"/> go
        /// through <paramref name="exchange"/> (a trace in front of the slot; null: the slot itself).
        /// </summary>
        public void SetExchange(int slot, ISlotExchange? exchange)
        {
            if (slot >= 0 && slot < _channels.Length)
            {
                _channels[slot].Exchange = exchange;
            }
        }

        /// <summary>Ends a PIN entry in progress as cancelled (host gone, PC_to_RDR_Abort).</summary>
        public void Abort()
        {
            _service.Abort();
        }

        /// <inheritdoc/>
        public int Secure(int slot, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            responseLength = 0;
            SlotSecureChannel? channel = ChannelOf(slot);
            if (channel == null)
            {
                return CcidError.BadSlot;
            }
            CardSlot card = channel.Slot;
            CcidPace? pace = Pace;
            if (pace != null && CcidPace.IsPaceSecure(command, offset, length))
            {
                return pace.Secure(card.Index, channel, command, offset, length, response, responseOffset, responseMax, out responseLength);
            }
            if (pace != null)
            {
                pace.EndBeforePlainCommand(card.Index);
            }
            T1Edc t1 = card.Protocol == 1 && !card.ApduLevel ? (card.UsesCrc ? T1Edc.Crc : T1Edc.Lrc) : T1Edc.None;
            channel.WrapT1 = false;
            SecurePinResult r = _service.Execute(command, offset, length, PinStructureForm.CcidSecure, channel, t1, response, responseOffset, responseMax);
            LastResult = r;
            Finished(r);
            if (r.CcidFailed)
            {
                return r.BError;
            }
            responseLength = r.ResponseLength;
            return CcidError.None;
        }

        /// <inheritdoc/>
        public bool TryIntercept(int slot, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength, out int error)
        {
            responseLength = 0;
            error = CcidError.None;
            SlotSecureChannel? channel = ChannelOf(slot);
            if (channel == null || length < 4)
            {
                return false;
            }
            CardSlot card = channel.Slot;
            if (card.Protocol != 1 || card.ApduLevel)
            {
                channel.WrapT1 = false;
                CcidPace? pace = Pace;
                bool pacePseudo = pace != null && CcidPace.IsPacePseudoApdu(command, offset, length);
                int n = pacePseudo ? -1 : Answer(channel, card.Index, command, offset, length, card.IccStatus, response, responseOffset, responseMax);
                if (n < 0 && pace != null)
                {
                    n = pace.Handle(card.Index, -1, channel, command, offset, length, response, responseOffset, responseMax, out error);
                    if (n == CcidPace.Failed)
                    {
                        return true;
                    }
                }
                if (n < 0)
                {
                    return false;
                }
                responseLength = n;
                return true;
            }
            return TryInterceptT1(channel, command, offset, length, response, responseOffset, responseMax, out responseLength, out error);
        }

        // A T=1 block from the host: only a whole I-block (not chained) can hold a pseudo-APDU or a PIN
        // command the reader answers; everything else is relayed as is.
        private bool TryInterceptT1(SlotSecureChannel channel, byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength, out int error)
        {
            responseLength = 0;
            error = CcidError.None;
            CardSlot card = channel.Slot;
            byte pcb = command[offset + 1];
            int edc = card.UsesCrc ? 2 : 1;
            int inf = command[offset + 2];
            T1AnswerChain chain = _chains[card.Index];
            if (chain.Pending)
            {
                if ((pcb & 0xC0) == 0x80 && inf == 0 && length == 3 + edc && responseMax >= 3 + card.HostIfsd + edc)
                {
                    // The host asks for the next block of the reader's chained answer, or the last one again.
                    responseLength = chain.Answer(card, pcb, card.HostIfsd, response, responseOffset);
                    return true;
                }
                chain.Clear();
            }
            T1CommandChain gathered = _commands[card.Index];
            CcidPace? pace = Pace;
            if (gathered.Pending && ((pcb & 0x80) != 0 || 3 + inf + edc != length))
            {
                // Anything but the next I-block of the chain (an S-block, garbage) drops what was gathered.
                gathered.Clear();
            }
            if ((pcb & 0x80) != 0 || 3 + inf + edc != length || (inf < 4 && !gathered.Pending) || responseMax < 3 + 2 + edc)
            {
                return false;
            }
            if ((pcb & 0x20) != 0)
            {
                if (pace != null && (gathered.Pending || pace.IsOpen(card.Index) || CcidPace.IsPacePseudoApdu(command, offset + 3, inf)))
                {
                    // A chained command for the reader (under SM, or a long PACE input): gathered and acknowledged here.
                    gathered.Append(command, offset + 3, inf);
                    card.AbsorbHostBlock(pcb);
                    responseLength = T1CommandChain.Acknowledge(card, command[offset], pcb, response, responseOffset);
                    return true;
                }
                return false;
            }
            if (gathered.Pending)
            {
                gathered.Append(command, offset + 3, inf);
                bool result = AnswerGathered(channel, card, gathered, command[offset], pcb, response, responseOffset, responseMax, out responseLength, out error);
                gathered.Clear();
                return result;
            }
            if (pace != null && (CcidPace.IsPacePseudoApdu(command, offset + 3, inf) || pace.IsOpen(card.Index)))
            {
                int fromPace = -1;
                if (!CcidPace.IsPacePseudoApdu(command, offset + 3, inf))
                {
                    // The PIN pad's own pseudo-APDUs and the clear-PIN policy come first, as without a channel.
                    channel.WrapT1 = true;
                    channel.SetT1Prologue(command[offset], pcb);
                    channel.ResetCount();
                    fromPace = Answer(channel, card.Index, command, offset + 3, inf, card.IccStatus, response, responseOffset + 3, responseMax - 3 - edc);
                    channel.WrapT1 = false;
                    if (fromPace >= 0)
                    {
                        return FrameAnswer(channel, card, command, offset, fromPace, response, responseOffset, out responseLength);
                    }
                }
                // An answer longer than the host's IFSD goes back in chained I-blocks (T1AnswerChain).
                if (PaceAnswer(pace, channel, card, command[offset], pcb, command, offset + 3, inf, response, responseOffset, responseMax, out responseLength, out error))
                {
                    return true;
                }
            }
            channel.WrapT1 = true;
            channel.SetT1Prologue(command[offset], pcb);
            channel.ResetCount();
            int n = Answer(channel, card.Index, command, offset + 3, inf, card.IccStatus, response, responseOffset + 3, responseMax - 3 - edc);
            channel.WrapT1 = false;
            if (n < 0)
            {
                return false;
            }
            return FrameAnswer(channel, card, command, offset, n, response, responseOffset, out responseLength);
        }

        // The command (a PACE pseudo-APDU, or any APDU under SM) to PACE; its answer framed for the host. False: not PACE's.
        private bool PaceAnswer(CcidPace pace, SlotSecureChannel channel, CardSlot card, byte nad, byte pcb, byte[] apdu, int apduOffset, int apduLength,
            byte[] response, int responseOffset, int responseMax, out int responseLength, out int error)
        {
            responseLength = 0;
            int edc = card.UsesCrc ? 2 : 1;
            T1AnswerChain chain = _chains[card.Index];
            int fromPace = pace.Handle(card.Index, pcb, channel, apdu, apduOffset, apduLength, response, responseOffset + 3, responseMax - 3, out error);
            if (fromPace == CcidPace.Failed)
            {
                // The card is gone or mute: a CCID error, nothing relayed.
                return true;
            }
            if (fromPace < 0)
            {
                return false;
            }
            // The reader's exchanges already moved the sequence numbers (CardSlot.EndReaderExchanges).
            byte answerNad = (byte)(((nad & 0x07) << 4) | ((nad >> 4) & 0x07));
            byte answerPcb = card.LastReaderAnswerPcb;
            int ifsd = card.HostIfsd;
            int first = fromPace;
            if (fromPace > ifsd)
            {
                answerPcb |= 0x20;
                first = ifsd;
                if (!chain.Begin(response, responseOffset + 3, fromPace, ifsd, answerNad, answerPcb))
                {
                    response[responseOffset + 3] = 0x67;
                    response[responseOffset + 4] = 0x00;
                    answerPcb &= 0xDF;
                    first = 2;
                }
            }
            response[responseOffset] = answerNad;
            response[responseOffset + 1] = answerPcb;
            response[responseOffset + 2] = (byte)first;
            responseLength = 3 + first + card.AppendEdc(response, responseOffset, 3 + first);
            return true;
        }

        // The last block of a chained host command: the whole command to PACE (6700 when it was too long).
        private bool AnswerGathered(SlotSecureChannel channel, CardSlot card, T1CommandChain gathered, byte nad, byte pcb,
            byte[] response, int responseOffset, int responseMax, out int responseLength, out int error)
        {
            responseLength = 0;
            error = CcidError.None;
            CcidPace? pace = Pace;
            if (pace != null && !gathered.Overflow && PaceAnswer(pace, channel, card, nad, pcb, gathered.Command, 0, gathered.Length, response, responseOffset, responseMax, out responseLength, out error))
            {
                return true;
            }
            // Too long for the reader, or the channel ended meanwhile: refused in an I-block of the reader's own.
            response[responseOffset] = (byte)(((nad & 0x07) << 4) | ((nad >> 4) & 0x07));
            response[responseOffset + 1] = card.TakeReaderAnswerPcb();
            response[responseOffset + 2] = 2;
            response[responseOffset + 3] = 0x67;
            response[responseOffset + 4] = 0x00;
            responseLength = 5 + card.AppendEdc(response, responseOffset, 5);
            return true;
        }

        // The reader's answer of n bytes (already at responseOffset + 3) in the I-block the host expects.
        private static bool FrameAnswer(SlotSecureChannel channel, CardSlot card, byte[] command, int offset, int n, byte[] response, int responseOffset, out int responseLength)
        {
            if (n > 254)
            {
                n = 254;
            }
            if (channel.Exchanges > 0)
            {
                // The card answered the reader's block sent with the host's NAD and PCB: its own block's
                // NAD and PCB carry the sequence number the host expects.
                response[responseOffset] = channel.AnswerNad;
                response[responseOffset + 1] = channel.AnswerPcb;
            }
            else
            {
                int nad = command[offset];
                response[responseOffset] = (byte)(((nad & 0x07) << 4) | ((nad >> 4) & 0x07));
                response[responseOffset + 1] = card.TakeReaderAnswerPcb();
            }
            response[responseOffset + 2] = (byte)n;
            responseLength = 3 + n + card.AppendEdc(response, responseOffset, 3 + n);
            return true;
        }

        // The reader's answer to an APDU, or -1 to let it go to the card.
        private int Answer(SlotSecureChannel channel, int physicalSlot, byte[] apdu, int offset, int length, int iccStatus, byte[] response, int responseOffset, int capacity)
        {
            CcidPace? pace = Pace;
            if (pace != null && pace.IsOpen(physicalSlot))
            {
                PseudoApduKind pin = PseudoApdu.Classify(apdu, offset, length);
                if (pin == PseudoApduKind.BoxedSecure || pin == PseudoApduKind.PpduVerify || pin == PseudoApduKind.PpduModify)
                {
                    pace.EndBeforePlainCommand(physicalSlot);
                }
            }
            int n = _interceptor.Handle(apdu, offset, length, channel, iccStatus, response, responseOffset, capacity);
            if (n >= 0)
            {
                PseudoApduKind kind = PseudoApdu.Classify(apdu, offset, length);
                if (kind == PseudoApduKind.BoxedSecure || kind == PseudoApduKind.PpduVerify || kind == PseudoApduKind.PpduModify)
                {
                    LastResult = _interceptor.LastPinResult;
                    if (LastResult != null)
                    {
                        Finished(LastResult);
                    }
                }
                return n;
            }
            if (_policy.Check(physicalSlot, apdu, offset, length) != 0 && capacity >= 2)
            {
                RefusedClearPins++;
                response[responseOffset] = 0x69;
                response[responseOffset + 1] = 0x82;
                return 2;
            }
            return -1;
        }

        private void Finished(SecurePinResult r)
        {
            PinOperationHandler? handler = OperationFinished;
            if (handler != null)
            {
                handler(r, BuffersAreClear);
            }
        }

        // By the profile's slot map, not by reference: the device may see the slots through wrappers (trace).
        private SlotSecureChannel? ChannelOf(int ccidSlot)
        {
            int physical = _device.Profile.PhysicalSlot(ccidSlot);
            if (physical < 0 || physical >= _channels.Length)
            {
                return null;
            }
            return _channels[physical];
        }
    }

    /// <summary>Tells that a PIN operation ended: its result (no digits in it) and whether every PIN buffer is zero again.</summary>
    public delegate void PinOperationHandler(SecurePinResult result, bool buffersClear);
}
