using Terminal.Boards;
using Terminal.Display;

namespace Terminal.PinPad
{
    /// <summary>
    /// The integration seam of secure PIN entry: give it the PIN structure bytes as they arrived
    /// (CCID PC_to_RDR_Secure abData, a boxed TR-03119 payload's abData, or a PC/SC part 10 structure
    /// from a PPDU) and the slot's card channel; it parses the structure, runs the prompts on the
    /// reader's keypad and display with the secure-mode LED lit, builds the APDU with the PIN(s)
    /// inserted, sends it to the card, shows the result, wipes every buffer that held a digit, and
    /// returns the answer bytes with a status word and a CCID bError. One instance per reader (one
    /// keypad); it owns its buffers, so nothing is allocated per operation once constructed.
    /// </summary>
    public sealed class SecurePinService
    {
        private readonly PinEntry _entry;
        private readonly ITextDisplay? _display;
        private readonly IClock _clock;
        private readonly PinBuffer _current;
        private readonly PinBuffer _new;
        private readonly PinBuffer _confirm;
        private readonly byte[] _apdu = new byte[PinBlockBuilder.MaxApduLength];
        private readonly byte[] _block = new byte[PinBlockBuilder.MaxApduLength + 5];
        private readonly PinCommand _command = new PinCommand();
        private readonly SecurePinResult _result = new SecurePinResult();
        private readonly HostMessageTable _hostMessages = new HostMessageTable();
        private int _overallMilliseconds;
        private bool _hostTexts;

        /// <summary>A service on the board's keypad, display, indicators and clock.</summary>
        public SecurePinService(IKeypad keypad, ITextDisplay? display, IIndicators indicators, IClock clock)
            : this(keypad, display, indicators, clock, new PinBuffer(), new PinBuffer(), new PinBuffer())
        {
        }

        /// <summary>
        /// A service whose three PIN buffers (current, new, confirmation) are given: tests pass buffers
        /// over arrays of their own to check they are all zero after every operation.
        /// </summary>
        public SecurePinService(IKeypad keypad, ITextDisplay? display, IIndicators indicators, IClock clock, PinBuffer current, PinBuffer newPin, PinBuffer confirmation)
        {
            _entry = new PinEntry(keypad, display, indicators, clock);
            _display = display;
            _clock = clock;
            _current = current;
            _new = newPin;
            _confirm = confirmation;
            _overallMilliseconds = PinEntry.MaxOverallMilliseconds;
            DefaultTimeoutMilliseconds = PinEntry.DefaultDigitTimeoutMilliseconds;
            ModifyLayout = MessageIndexLayout.Auto;
            LanguageWhenNeutral = Language.English;
        }

        /// <summary>First-digit and next-digit timer when the host gives 0.</summary>
        public int DefaultTimeoutMilliseconds { get; set; }

        /// <summary>The limit on a whole operation (all prompts), at most <see cref="PinEntry.MaxOverallMilliseconds"/>.</summary>
        public int OverallTimeoutMilliseconds
        {
            get { return _overallMilliseconds; }
            set { _overallMilliseconds = value > PinEntry.MaxOverallMilliseconds || value <= 0 ? PinEntry.MaxOverallMilliseconds : value; }
        }

        /// <summary>Where a CCID modify structure's optional bMsgIndex2/3 are (the host profile knows; Auto works for all known hosts).</summary>
        public MessageIndexLayout ModifyLayout { get; set; }

        /// <summary>The language when the host sends wLangId 0 (OpenSC does).</summary>
        public Language LanguageWhenNeutral { get; set; }

        /// <summary>
        /// The prompt strings the host may load (GemPC Pinpad Escape B2 A0 ...): the CCID layer passes the
        /// Escape to <see cref="HostMessageTable.Load"/>; they are then shown for structures with wLangId 0.
        /// </summary>
        public HostMessageTable HostMessages
        {
            get { return _hostMessages; }
        }

        /// <summary>How often card presence is checked while waiting for a key.</summary>
        public int PollMilliseconds
        {
            get { return _entry.PollMilliseconds; }
            set { _entry.PollMilliseconds = value; }
        }

        /// <summary>The entry engine (its secure-mode state is observable by tests).</summary>
        public PinEntry Entry
        {
            get { return _entry; }
        }

        /// <summary>True when the PIN buffers and the APDU buffers hold nothing but zeros.</summary>
        public bool BuffersAreClear
        {
            get
            {
                int any = 0;
                for (int i = 0; i < _apdu.Length; i++)
                {
                    any |= _apdu[i];
                }

                for (int i = 0; i < _block.Length; i++)
                {
                    any |= _block[i];
                }

                return any == 0 && _current.IsClear && _new.IsClear && _confirm.IsClear;
            }
        }

        /// <summary>
        /// Cancels the operation in progress at the entry's next poll (PC_to_RDR_Abort, host gone); it
        /// then ends as <see cref="SecurePinOutcome.Cancelled"/>. Safe from another thread.
        /// </summary>
        public void Abort()
        {
            _entry.Abort();
        }

        /// <summary>
        /// Runs one secure PIN operation. Not reentrant: one operation at a time per reader (one keypad;
        /// the CCID layer runs one slot command at a time, bMaxCCIDBusySlots 1). <paramref name="structure"/> from <paramref name="offset"/>,
        /// <paramref name="length"/> bytes, is in <paramref name="form"/> (for
        /// <see cref="PinStructureForm.CcidSecure"/> it starts with bPINOperation). When
        /// <paramref name="t1"/> is not <see cref="T1Edc.None"/> the card runs T=1 at TPDU level: the
        /// APDU goes in an I-block with the host's bTeoPrologue and the answer is the card's whole block.
        /// The answer is written to <paramref name="response"/> from <paramref name="responseOffset"/>.
        /// </summary>
        public SecurePinResult Execute(byte[] structure, int offset, int length, PinStructureForm form, ISecureCardChannel card, T1Edc t1, byte[] response, int responseOffset, int responseCapacity)
        {
            SecurePinResult r = _result;
            r.Reset();
            PinCommand c = _command;
            int errorOffset;
            PinParseStatus status = PinStructureParser.Parse(structure, offset, length, form, ModifyLayout, c, out errorOffset);
            r.ParseStatus = status;
            r.ErrorOffset = errorOffset;
            r.Operation = c.Operation;
            if (status != PinParseStatus.Ok)
            {
                r.BError = form == PinStructureForm.CcidSecure ? PinStructureParser.CcidBError(errorOffset) : (byte)0;
                return ReaderStatus(r, SecurePinOutcome.InvalidStructure, PinStatus.InvalidStructure, r.BError, response, responseOffset, responseCapacity);
            }

            _entry.ClearAbort();
            Language language = DisplayTexts.LanguageFor(c.LangId, LanguageWhenNeutral);
            _hostTexts = c.LangId == 0 && _hostMessages.IsLoaded;
            try
            {
                SecurePinOutcome entered = CollectPins(c, card, language);
                if (entered != SecurePinOutcome.CardAnswered)
                {
                    return Finish(r, entered, language, response, responseOffset, responseCapacity);
                }

                int apduLength = PinBlockBuilder.Build(c, c.CurrentPinRequested || c.Operation == PinOperation.Verify ? _current : null, c.Operation == PinOperation.Modify ? _new : null, _apdu, 0, _apdu.Length);
                WipePins();
                if (apduLength < 0)
                {
                    r.BError = form == PinStructureForm.CcidSecure ? PinStructureParser.CcidBError(3) : (byte)0;
                    r.ParseStatus = PinParseStatus.PinDoesNotFit;
                    r.ErrorOffset = 3;
                    return ReaderStatus(r, SecurePinOutcome.InvalidStructure, PinStatus.InvalidStructure, r.BError, response, responseOffset, responseCapacity);
                }

                int answer;
                if (t1 != T1Edc.None)
                {
                    int blockLength = T1Framing.Wrap(c.TeoPrologue, _apdu, 0, apduLength, t1, _block, 0, _block.Length);
                    Wipe(_apdu);
                    answer = blockLength < 0 ? -1 : card.Transmit(_block, 0, blockLength, response, responseOffset, responseCapacity);
                }
                else
                {
                    answer = card.Transmit(_apdu, 0, apduLength, response, responseOffset, responseCapacity);
                }

                Wipe(_apdu);
                Wipe(_block);
                if (answer < 0)
                {
                    bool gone = !card.IsCardPresent;
                    return Finish(r, gone ? SecurePinOutcome.CardRemoved : SecurePinOutcome.CardMute, language, response, responseOffset, responseCapacity);
                }

                r.Outcome = SecurePinOutcome.CardAnswered;
                r.ResponseLength = answer;
                r.StatusWord = t1 != T1Edc.None
                    ? T1Framing.StatusWordOf(response, responseOffset, answer)
                    : (answer >= 2 ? (response[responseOffset + answer - 2] << 8) | response[responseOffset + answer - 1] : -1);
                if (r.StatusWord >= 0)
                {
                    string line0;
                    string line1;
                    DisplayTexts.ResultLines(r.StatusWord, c.Instruction, c.Operation == PinOperation.Modify, language, out line0, out line1);
                    if (_hostTexts)
                    {
                        HostResultLines(r.StatusWord, c, ref line0, ref line1);
                    }

                    ShowLines(line0, line1);
                }

                return r;
            }
            finally
            {
                WipePins();
                Wipe(_apdu);
                Wipe(_block);
            }
        }

        private SecurePinOutcome CollectPins(PinCommand c, ISecureCardChannel card, Language language)
        {
            int first = c.TimeOut > 0 ? c.TimeOut * 1000 : DefaultTimeoutMilliseconds;
            int next = c.TimeOut2 > 0 ? c.TimeOut2 * 1000 : first;
            _entry.FirstDigitTimeoutMilliseconds = first;
            _entry.NextDigitTimeoutMilliseconds = next;
            _entry.MinDigits = c.MinDigits;
            _entry.MaxDigits = EffectiveMax(c);
            _entry.ValidateOnMaxLength = (c.EntryValidation & 0x01) != 0;
            _entry.ValidateOnTimeout = (c.EntryValidation & 0x04) != 0;
            long deadline = _clock.NowMilliseconds + _overallMilliseconds;
            _entry.EnterSecureMode();
            try
            {
                int prompt = 0;
                PinEntryOutcome outcome;
                if (c.Operation == PinOperation.Verify)
                {
                    outcome = _entry.Run(PromptText(c, prompt, TextId.EnterPin, language), _current, card, deadline);
                    return FromEntry(outcome);
                }

                if (c.CurrentPinRequested)
                {
                    TextId role = (c.Instruction & 0xFE) == 0x2C ? TextId.UnblockCode : TextId.EnterPin;
                    outcome = _entry.Run(PromptText(c, prompt++, role, language), _current, card, deadline);
                    if (outcome != PinEntryOutcome.Entered)
                    {
                        return FromEntry(outcome);
                    }
                }

                outcome = _entry.Run(PromptText(c, prompt++, TextId.NewPin, language), _new, card, deadline);
                if (outcome != PinEntryOutcome.Entered)
                {
                    return FromEntry(outcome);
                }

                if (c.ConfirmationRequested)
                {
                    outcome = _entry.Run(PromptText(c, prompt, TextId.ConfirmPin, language), _confirm, card, deadline);
                    if (outcome != PinEntryOutcome.Entered)
                    {
                        return FromEntry(outcome);
                    }

                    if (!_new.SameDigitsAs(_confirm))
                    {
                        return SecurePinOutcome.Mismatch;
                    }
                }

                return SecurePinOutcome.CardAnswered;
            }
            finally
            {
                _confirm.Wipe();
                _entry.ExitSecureMode();
            }
        }

        // The most digits the prompt takes: the host's maximum, cut to what the fixed PIN frame, the
        // length field and the PIN buffer can hold.
        private int EffectiveMax(PinCommand c)
        {
            int max = c.MaxDigits;
            if (c.BlockSize > 0)
            {
                int frame = ((c.BlockSize * 8) - c.PinPositionBits) / c.DigitBits;
                if (frame < max)
                {
                    max = frame;
                }
            }

            if (c.LengthFieldBits > 0 && c.LengthFieldBits < 8)
            {
                int largest = (1 << c.LengthFieldBits) - 1;
                if (largest < max)
                {
                    max = largest;
                }
            }

            return max > _current.Capacity ? _current.Capacity : max;
        }

        // The prompt for the k-th entry: the host's bMsgIndex for it when the host asked for messages
        // (bNumberMessage 1 to 3), else the entry's own text. Message indexes follow CCID: 0 the PIN
        // prompt, 1 the new-PIN prompt, 2 the confirmation. The reader always shows a prompt, even for
        // bNumberMessage 0: the cardholder must see what is asked.
        private string PromptText(PinCommand c, int k, TextId role, Language language)
        {
            if (c.NumberMessage >= k + 1 && c.NumberMessage != 0xFF && k < c.MessageIndexCount)
            {
                int index = k == 0 ? c.MsgIndex1 : (k == 1 ? c.MsgIndex2 : c.MsgIndex3);
                if (index == 1)
                {
                    role = TextId.NewPin;
                }
                else if (index == 2)
                {
                    role = TextId.ConfirmPin;
                }
                else if (index == 0 && role != TextId.UnblockCode)
                {
                    role = TextId.EnterPin;
                }
            }

            return Text(role, language);
        }

        // Our text, or the host-loaded one when the structure left the language to the reader.
        private string Text(TextId id, Language language)
        {
            if (_hostTexts)
            {
                string? host = _hostMessages.TextFor(id);
                if (host != null)
                {
                    return host;
                }
            }

            return DisplayTexts.Get(id, language);
        }

        private void HostResultLines(int sw, PinCommand c, ref string line0, ref string line1)
        {
            string? host = null;
            string? second = line1;
            if (sw == 0x9000)
            {
                host = c.Operation == PinOperation.Verify && (c.Instruction & 0xFE) == 0x20 ? _hostMessages.TextFor(TextId.PinCorrect) : null;
            }
            else if ((sw & 0xFFF0) == 0x63C0)
            {
                string? tries = _hostMessages.TriesLeft(sw & 0x0F);
                if (tries != null)
                {
                    host = _hostMessages.TextFor(TextId.WrongPin);
                    second = tries;
                }
            }
            else if (sw == 0x6983)
            {
                host = _hostMessages.TextFor(TextId.CardBlocked);
            }
            else
            {
                host = _hostMessages.TextFor(TextId.CardError);
            }

            if (host != null)
            {
                line0 = host;
                line1 = second ?? string.Empty;
            }
        }

        private static SecurePinOutcome FromEntry(PinEntryOutcome outcome)
        {
            switch (outcome)
            {
                case PinEntryOutcome.Entered:
                    return SecurePinOutcome.CardAnswered;
                case PinEntryOutcome.Timeout:
                    return SecurePinOutcome.Timeout;
                case PinEntryOutcome.CardRemoved:
                    return SecurePinOutcome.CardRemoved;
                default:
                    return SecurePinOutcome.Cancelled;
            }
        }

        private SecurePinResult Finish(SecurePinResult r, SecurePinOutcome outcome, Language language, byte[] response, int responseOffset, int responseCapacity)
        {
            int sw;
            byte bError;
            TextId text;
            switch (outcome)
            {
                case SecurePinOutcome.Timeout:
                    sw = PinStatus.Timeout;
                    bError = PinStatus.BErrorPinTimeout;
                    text = TextId.Timeout;
                    break;
                case SecurePinOutcome.Mismatch:
                    sw = PinStatus.Mismatch;
                    bError = 0;
                    text = TextId.Mismatch;
                    break;
                case SecurePinOutcome.CardRemoved:
                    sw = PinStatus.Cancelled;
                    bError = PinStatus.BErrorIccMute;
                    text = TextId.CardRemoved;
                    break;
                case SecurePinOutcome.CardMute:
                    sw = PinStatus.NoPreciseDiagnosis;
                    bError = PinStatus.BErrorIccMute;
                    text = TextId.CardError;
                    break;
                default:
                    sw = PinStatus.Cancelled;
                    bError = PinStatus.BErrorPinCancelled;
                    text = TextId.Cancelled;
                    break;
            }

            ShowLines(Text(text, language), string.Empty);
            return ReaderStatus(r, outcome, sw, bError, response, responseOffset, responseCapacity);
        }

        private static SecurePinResult ReaderStatus(SecurePinResult r, SecurePinOutcome outcome, int sw, byte bError, byte[] response, int responseOffset, int responseCapacity)
        {
            r.Outcome = outcome;
            r.StatusWord = sw;
            r.BError = bError;
            r.ResponseLength = 0;
            if (response != null && responseCapacity >= 2 && responseOffset + 2 <= response.Length)
            {
                response[responseOffset] = (byte)(sw >> 8);
                response[responseOffset + 1] = (byte)sw;
                r.ResponseLength = 2;
            }

            return r;
        }

        private void ShowLines(string line0, string line1)
        {
            if (_display != null)
            {
                _display.Show(0, line0);
                _display.Show(1, line1);
            }
        }

        private void WipePins()
        {
            _current.Wipe();
            _new.Wipe();
            _confirm.Wipe();
        }

        private static void Wipe(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = 0;
            }
        }
    }
}
