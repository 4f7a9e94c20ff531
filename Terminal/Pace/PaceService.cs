using Terminal.Boards;
using Terminal.Iso7816;
using Terminal.Iso7816.Crypto;
using Terminal.PinPad;

namespace Terminal.Pace
{
    /// <summary>Gives the elliptic-curve arithmetic of the platform for a curve (desktop: .NET's ECDiffieHellman; ESP32:
    /// the native helper; elsewhere the managed reference).</summary>
    public interface IEcProvider
    {
        /// <summary>The arithmetic on <paramref name="curve"/>.</summary>
        IEcArithmetic Create(EcCurve curve);
    }

    /// <summary>
    /// One slot's PACE channel: the reader that ran the protocol and, once it succeeded, the secure messaging that
    /// protects every later host APDU to the slot. <see cref="Close"/> (DestroyPACEChannel, removal, power-off,
    /// reset, an SM failure) wipes the session keys and the SSC.
    /// </summary>
    public sealed class PaceSession
    {
        private readonly PaceReader _reader;
        private SecureChannel? _channel;

        /// <summary>A session whose protocol and SM exchanges go through <paramref name="card"/>.</summary>
        public PaceSession(IApduChannel card, ICipherFactory ciphers)
        {
            Card = card;
            _reader = new PaceReader(card, ciphers);
        }

        /// <summary>The slot's APDU exchange (the reader's own T=0/T=1 session).</summary>
        public IApduChannel Card { get; }

        /// <summary>The protocol side (its last MSE status word, failed step).</summary>
        public PaceReader Reader => _reader;

        /// <summary>True while a channel protects the slot's APDUs.</summary>
        public bool IsOpen => _channel != null && _channel.IsOpen;

        /// <summary>True when no session key is held (the reader's codec and the channel are gone).</summary>
        public bool HoldsNoKeys => _reader.SecureMessaging == null && _channel == null;

        /// <summary>The <c>SecureMessagingError</c> that ended the last channel, 0 when none.</summary>
        public int LastChannelError { get; private set; }

        /// <summary>Starts protecting APDUs with the keys of the reader's last successful run.</summary>
        internal void Open()
        {
            Terminal.Iso7816.SecureMessaging.SecureMessagingCodec? codec = _reader.SecureMessaging;
            if (codec != null)
            {
                // One short APDU and its answer, with room for the SM objects: nothing is allocated per APDU.
                _channel = new SecureChannel(codec, 261, 261 + 40);
                LastChannelError = 0;
            }
        }

        /// <summary>
        /// Wraps the host's plain <paramref name="command"/>, exchanges it and writes the plain answer; closes the
        /// session when the channel ends (SM error, plain error status from the card). Returns the answer length,
        /// or a negative value when the card could not be reached (the session is then closed too).
        /// </summary>
        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            SecureChannel? channel = _channel;
            if (channel == null)
            {
                return SecureChannel.Closed;
            }
            int n = channel.Transmit(Card, command, offset, length, response, responseOffset);
            if (!channel.IsOpen)
            {
                LastChannelError = channel.LastError;
                Close();
            }
            return n;
        }

        /// <summary>Ends the channel and wipes every key (idempotent).</summary>
        public void Close()
        {
            SecureChannel? channel = _channel;
            _channel = null;
            if (channel != null)
            {
                channel.Close();
            }
            _reader.Close();
        }
    }

    /// <summary>
    /// EstablishPACEChannel as the reader runs it for the host (PC/SC part 10 amd. 1, BSI TR-03119): the password
    /// from the host or typed on the keypad under the secure LED (prompt "PIN" or "CAN"), EF.CardAccess read in plain,
    /// the algorithm and curve it names, PACE, and on success the session's secure messaging. One per reader (one
    /// keypad); not reentrant. Buffers are the service's own and wiped on every path.
    /// </summary>
    public sealed class PaceService
    {
        /// <summary>Longest password accepted from the host (MRZ information is 24 characters).</summary>
        public const int MaxPasswordLength = 64;

        /// <summary>Longest EF.CardAccess kept for the output.</summary>
        public const int MaxCardAccessLength = 512;

        private readonly PinEntry _entry;
        private readonly IClock _clock;
        private readonly ICipherFactory _ciphers;
        private readonly IEcProvider _ec;
        private readonly byte[] _password = new byte[MaxPasswordLength];
        private readonly PinBuffer _digits = new PinBuffer();
        private readonly byte[] _cardAccess = new byte[MaxCardAccessLength];
        private readonly byte[] _command = new byte[8];
        private readonly byte[] _response = new byte[258];
        private readonly CardAccess _access = new CardAccess();
        private byte[] _chat = new byte[0];
        private int _cardAccessLength;
        private int _mseStatus = -1;

        /// <summary>A service taking keypad entries through <paramref name="entry"/> (the PIN pad's, so the LED and
        /// timers are the same) on <paramref name="clock"/>.</summary>
        public PaceService(PinEntry entry, IClock clock, ICipherFactory ciphers, IEcProvider ec)
        {
            _entry = entry;
            _clock = clock;
            _ciphers = ciphers;
            _ec = ec;
            PinMinDigits = 4;
            PinMaxDigits = 12;
            FirstDigitTimeoutMilliseconds = PinEntry.DefaultDigitTimeoutMilliseconds;
        }

        /// <summary>Cipher factory of the platform (for the slots' sessions).</summary>
        public ICipherFactory Ciphers => _ciphers;

        /// <summary>Fewest digits of a PIN typed on the keypad (a CAN is always 6).</summary>
        public int PinMinDigits { get; set; }

        /// <summary>Most digits of a PIN typed on the keypad.</summary>
        public int PinMaxDigits { get; set; }

        /// <summary>Time for the first (and each next) digit on the keypad.</summary>
        public int FirstDigitTimeoutMilliseconds { get; set; }

        /// <summary>Status word of MSE:Set AT in the last run (-1 when not sent).</summary>
        public int MseStatus => _mseStatus;

        /// <summary>EF.CardAccess as read in the last run (<see cref="CardAccessLength"/> bytes).</summary>
        public byte[] CardAccessBytes => _cardAccess;

        /// <summary>Length of <see cref="CardAccessBytes"/> (0 when not read).</summary>
        public int CardAccessLength => _cardAccessLength;

        /// <summary>The outcome of the keypad entry in the last run, or -1 when the host gave the password.</summary>
        public int LastEntryOutcome { get; private set; }

        /// <summary>True when the password buffers are all zero.</summary>
        public bool BuffersAreClear
        {
            get
            {
                int any = 0;
                for (int i = 0; i < _password.Length; i++)
                {
                    any |= _password[i];
                }
                return any == 0 && _digits.IsClear;
            }
        }

        /// <summary>
        /// Runs EstablishPACEChannel on <paramref name="session"/> with the parsed <paramref name="input"/> over
        /// <paramref name="data"/>. A new run ends any channel first. Returns a <see cref="PaceHostResult"/>;
        /// <see cref="MseStatus"/> and the EF.CardAccess bytes are then ready for the output.
        /// </summary>
        public uint Establish(PaceSession session, IPinEntrySlot slot, EstablishPaceInput input, byte[] data)
        {
            _mseStatus = -1;
            _cardAccessLength = 0;
            LastEntryOutcome = -1;
            session.Close();
            try
            {
                int passwordLength;
                if (input.PasswordLength > 0)
                {
                    System.Array.Copy(data, input.PasswordOffset, _password, 0, input.PasswordLength);
                    passwordLength = input.PasswordLength;
                }
                else
                {
                    uint entry = Enter(input.PasswordId == PaceReader.PasswordCan, slot, out passwordLength);
                    if (entry != PaceHostResult.Success)
                    {
                        return entry;
                    }
                }

                uint read = ReadCardAccess(session.Card, slot);
                if (read != PaceHostResult.Success)
                {
                    return read;
                }
                int parsed = _access.Parse(_cardAccess, 0, _cardAccessLength);
                PaceAlgorithm? algorithm = _access.Algorithm;
                EcCurve? curve = parsed == CardAccess.Found ? EcCurve.FromParameterId(_access.ParameterId) : null;
                if (algorithm == null || curve == null)
                {
                    return parsed == CardAccess.Malformed ? PaceHostResult.CardNotSupported : PaceHostResult.AlgorithmNotSupported;
                }

                byte[]? chat = null;
                if (input.ChatLength > 0)
                {
                    if (_chat.Length != input.ChatLength)
                    {
                        _chat = new byte[input.ChatLength];
                    }
                    System.Array.Copy(data, input.ChatOffset, _chat, 0, input.ChatLength);
                    chat = _chat;
                }
                PaceReader reader = session.Reader;
                int r = reader.Establish(algorithm, _ec.Create(curve), input.PasswordId, _password, 0, passwordLength, chat, 0, input.ChatLength);
                _mseStatus = reader.MseStatusWord;
                if (r == PaceResult.Success)
                {
                    session.Open();
                    return PaceHostResult.Success;
                }
                session.Close();
                return MapFailure(r, reader, slot);
            }
            finally
            {
                System.Array.Clear(_password, 0, _password.Length);
                _digits.Wipe();
            }
        }

        /// <summary>The TR-03119 Result for a failed <see cref="PaceReader.Establish"/>.</summary>
        public static uint MapFailure(int result, PaceReader reader, IPinEntrySlot slot)
        {
            switch (result)
            {
                case PaceResult.TransmitFailed:
                    return slot.IsCardPresent ? PaceHostResult.CommunicationAbort : PaceHostResult.NoCard;
                case PaceResult.MseSetAtFailed:
                    return PaceHostResult.MseSetAtFailed | (uint)(reader.MseStatusWord & 0xFFFF);
                case PaceResult.GeneralAuthenticateFailed:
                    int step = reader.FailedStep < 1 ? 1 : reader.FailedStep;
                    return (PaceHostResult.GeneralAuthenticateFailed + (uint)((step - 1) << 16)) | (uint)(reader.CardStatusWord & 0xFFFF);
                case PaceResult.BadParameter:
                    return PaceHostResult.LengthInconsistent;
                default:
                    // Malformed answer, point not on the curve, same keys, wrong token: the card does not run PACE as it should.
                    return PaceHostResult.CardNotSupported;
            }
        }

        // The keypad entry: "PIN" or "CAN" on line 1, stars on line 2, the secure LED on; ASCII digits to _password.
        private uint Enter(bool can, IPinEntrySlot slot, out int length)
        {
            length = 0;
            _entry.ClearAbort();
            _entry.MinDigits = can ? 6 : PinMinDigits;
            _entry.MaxDigits = can ? 6 : PinMaxDigits;
            _entry.FirstDigitTimeoutMilliseconds = FirstDigitTimeoutMilliseconds;
            _entry.NextDigitTimeoutMilliseconds = FirstDigitTimeoutMilliseconds;
            _entry.ValidateOnMaxLength = false;
            _entry.ValidateOnTimeout = false;
            PinEntryOutcome outcome = _entry.Run(can ? "CAN" : "PIN", _digits, slot, _clock.NowMilliseconds + PinEntry.MaxOverallMilliseconds);
            LastEntryOutcome = (int)outcome;
            if (outcome == PinEntryOutcome.Cancelled)
            {
                return PaceHostResult.UserAbort;
            }
            if (outcome == PinEntryOutcome.Timeout)
            {
                return PaceHostResult.UserTimeout;
            }
            if (outcome == PinEntryOutcome.CardRemoved)
            {
                return PaceHostResult.NoCard;
            }
            length = _digits.Count;
            for (int i = 0; i < length; i++)
            {
                _password[i] = (byte)(0x30 + _digits.DigitAt(i));
            }
            _digits.Wipe();
            return PaceHostResult.Success;
        }

        // EF.CardAccess in plain: READ BINARY by SFI 1C; a card without SFI support gets SELECT 011C then READ BINARY.
        private uint ReadCardAccess(IApduChannel card, IPinEntrySlot slot)
        {
            int sw = Apdu(card, 0x00, 0xB0, 0x9C, 0x00, -1);
            if (sw == 0x6A82 || sw == 0x6A86 || sw == 0x6981)
            {
                int select = Apdu(card, 0x00, 0xA4, 0x02, 0x0C, 0x011C);
                if (select < 0)
                {
                    return slot.IsCardPresent ? PaceHostResult.CommunicationAbort : PaceHostResult.NoCard;
                }
                if (select != 0x9000)
                {
                    return PaceHostResult.SelectCardAccessFailed | (uint)select;
                }
                sw = Apdu(card, 0x00, 0xB0, 0x00, 0x00, -1);
            }
            if (sw < 0)
            {
                return slot.IsCardPresent ? PaceHostResult.CommunicationAbort : PaceHostResult.NoCard;
            }
            if (sw != 0x9000 && sw != 0x6282)
            {
                return PaceHostResult.ReadCardAccessFailed | (uint)sw;
            }
            return PaceHostResult.Success;
        }

        // One plain APDU: case 2 (Le 00) when fileId < 0, else SELECT with a two-byte file identifier. The data of a
        // READ BINARY lands in _cardAccess. Returns the status word or -1.
        private int Apdu(IApduChannel card, int cla, int ins, int p1, int p2, int fileId)
        {
            _command[0] = (byte)cla;
            _command[1] = (byte)ins;
            _command[2] = (byte)p1;
            _command[3] = (byte)p2;
            int length;
            if (fileId < 0)
            {
                _command[4] = 0x00;
                length = 5;
            }
            else
            {
                _command[4] = 0x02;
                _command[5] = (byte)(fileId >> 8);
                _command[6] = (byte)fileId;
                length = 7;
            }
            int n = card.Transmit(_command, 0, length, _response, 0);
            if (n < 2)
            {
                return -1;
            }
            int sw = (_response[n - 2] << 8) | _response[n - 1];
            if (fileId < 0)
            {
                int data = n - 2;
                if (data > _cardAccess.Length)
                {
                    data = _cardAccess.Length;
                }
                System.Array.Copy(_response, 0, _cardAccess, 0, data);
                _cardAccessLength = data;
            }
            return sw;
        }
    }
}
