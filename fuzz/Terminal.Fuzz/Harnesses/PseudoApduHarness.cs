using System;
using Terminal.Boards;
using Terminal.Iso7816;
using Terminal.PinPad;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// The pseudo-APDUs a host may send to the reader (TR-03119 FF 9A, PC/SC part 10 PPDU FF C2 01),
    /// through the firmware's own entry point <see cref="PinPadInterceptor.Handle"/>, secure PIN entry
    /// included. Byte 0: bit 0 adds 256 to the APDU length, bits 1-7 the response capacity (x 4);
    /// byte 1: the APDU length; then the APDU; then the world: each key read takes a byte (low nibble
    /// 0-9 digits, 10 OK, 11 Cancel, 12 Correction, 13 no key, 14 card removed, 15 host abort), each
    /// card exchange a byte (low 3 bits 0: card mute, else an answer of that many + 1 bytes that follow).
    /// Checks: -1 exactly for commands that are not pseudo-APDUs; an answer within the capacity with
    /// nothing written past it; the command sent to the card a well-formed APDU; the secure-mode LED
    /// off and every PIN buffer zero afterwards; and no byte run of the PIN command in the answer to
    /// the host unless the card's own answer had it.
    /// </summary>
    public sealed class PseudoApduHarness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "pseudo";

        /// <inheritdoc/>
        public override string Description => "a host command to the reader: PinPadInterceptor.Handle (pseudo-APDU classification, answers, secure PIN entry)";

        /// <inheritdoc/>
        protected override long StepBudget(int length)
        {
            // A PIN entry polls the keypad every 50 ms for up to 180 s once the input is exhausted.
            return 50_000 + 200L * length;
        }

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length < 2)
            {
                return "short";
            }
            int length = Math.Min(data[1] + ((data[0] & 1) << 8), data.Length - 2);
            int capacity = (data[0] >> 1) * 4;
            var apdu = new byte[length];
            Array.Copy(data, 2, apdu, 0, length);
            var world = new World(data, 2 + length, budget);

            var service = new SecurePinService(world, world, world, world) { PollMilliseconds = 50 };
            world.OnAbort = service.Abort;
            var interceptor = new PinPadInterceptor(service, new ReaderProperties());
            var response = new byte[Guard + capacity + Guard];
            Fill(response);
            PseudoApduKind kind = PseudoApdu.Classify(apdu, 0, length);
            int n = interceptor.Handle(apdu, 0, length, world, 0, response, Guard, capacity);

            Check(world.SecureMode == false, "the secure-mode LED is still on after the command");
            Check(service.BuffersAreClear, "a PIN or APDU buffer is not zero after the command");
            if (kind == PseudoApduKind.NotPseudo)
            {
                Check(n == -1, $"a command that is not a pseudo-APDU was answered ({n} bytes)");
                CheckGuards(response, Guard, 0, "Handle");
                return "not pseudo";
            }
            Check(n >= 0 && n <= capacity, $"{kind}: answer of {n} bytes with capacity {capacity}");
            CheckGuards(response, Guard, n, "Handle");
            Check(n >= 2 || capacity < 2, $"{kind}: answer of {n} bytes without a status word");
            if (world.LastCommand != null)
            {
                CheckNoPinEcho(response, Guard, n, world);
            }
            int sw = n >= 2 ? (response[Guard + n - 2] << 8) | response[Guard + n - 1] : -1;
            return $"{kind} {n} bytes SW {sw:X4}{(world.Exchanges > 0 ? $", {world.Exchanges} card exchanges" : "")}";
        }

        /// <summary>No run of 4 or more bytes of the PIN command's data field reaches the host, unless the card said it.</summary>
        private static void CheckNoPinEcho(byte[] response, int offset, int n, World world)
        {
            byte[] command = world.LastCommand!;
            const int Run = 4;
            for (int start = 5; start + Run <= command.Length; start++)
            {
                if (Contains(response, offset, n, command, start, Run) && !Contains(world.LastAnswer, 0, world.LastAnswer.Length, command, start, Run))
                {
                    throw new HarnessViolation($"bytes {start}..{start + Run - 1} of the PIN command sent to the card are in the answer to the host");
                }
            }
        }

        private static bool Contains(byte[] haystack, int offset, int length, byte[] needle, int start, int count)
        {
            for (int i = offset; i + count <= offset + length; i++)
            {
                int k = 0;
                while (k < count && haystack[i + k] == needle[start + k])
                {
                    k++;
                }
                if (k == count)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Keypad, display, LEDs, clock and card, all played from the input.</summary>
        private sealed class World : IKeypad, ITextDisplay, IIndicators, IClock, ISecureCardChannel
        {
            private readonly byte[] _data;
            private readonly Budget _budget;
            private int _position;
            private long _now;
            private bool _removed;

            public World(byte[] data, int offset, Budget budget)
            {
                _data = data;
                _position = offset;
                _budget = budget;
            }

            public bool SecureMode { get; private set; }

            public int Exchanges { get; private set; }

            public byte[]? LastCommand { get; private set; }

            public byte[] LastAnswer { get; private set; } = Array.Empty<byte>();

            public int Rows => 2;

            public int Columns => 16;

            public long NowMilliseconds => _now;

            public bool IsCardPresent => !_removed;

            private int Next()
            {
                return _position < _data.Length ? _data[_position++] : -1;
            }

            public Key ReadKey(int timeoutMilliseconds)
            {
                _budget.Step("ReadKey");
                Check(timeoutMilliseconds >= 0, $"ReadKey with timeout {timeoutMilliseconds}");
                int b = Next();
                int k = b < 0 ? 13 : b & 0x0F;
                switch (k)
                {
                    case 13:
                        _now += timeoutMilliseconds;
                        return Key.None;
                    case 14:
                        _removed = true;
                        _now += timeoutMilliseconds;
                        return Key.None;
                    case 15:
                        // The host's abort arrives while the entry waits.
                        _now += timeoutMilliseconds;
                        OnAbort?.Invoke();
                        return Key.None;
                    default:
                        _now += 1;
                        return (Key)k;
                }
            }

            public Action? OnAbort { get; set; }

            public void Flush()
            {
            }

            public void Show(int row, string text)
            {
                Check(row >= 0 && row < Rows, $"Show on row {row}");
                Check(text != null, "Show(null)");
            }

            public void Clear()
            {
            }

            public void SetSecureMode(bool on)
            {
                SecureMode = on;
            }

            public void SetCardAccess(int slot, bool on)
            {
            }

            public void Beep(int milliseconds)
            {
                Check(milliseconds >= 0, $"Beep({milliseconds})");
            }

            public void Sleep(int milliseconds)
            {
                _budget.Step("Sleep");
                Check(milliseconds >= 0, $"Sleep({milliseconds})");
                _now += milliseconds;
            }

            public void KeepHostWaiting()
            {
                _budget.Step("KeepHostWaiting");
            }

            public int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity)
            {
                _budget.Step("Transmit");
                Exchanges++;
                Check(command != null && commandOffset >= 0 && commandLength >= 0 && commandOffset <= command.Length - commandLength, "Transmit of a command out of its buffer");
                var apdu = new CommandApdu();
                ApduError e = apdu.Parse(command!, commandOffset, commandLength);
                Check(e == ApduError.None && !apdu.IsExtended, $"the reader sent the card a malformed PIN command ({e}, {commandLength} bytes)");
                LastCommand = new byte[commandLength];
                Array.Copy(command!, commandOffset, LastCommand, 0, commandLength);
                Check(responseOffset >= 0 && responseCapacity >= 0 && responseOffset <= response.Length - responseCapacity, "Transmit with a response area out of its buffer");
                if (_removed)
                {
                    return -1;
                }
                int b = Next();
                int n = b < 0 ? 2 : (b & 7) + 1;
                if (b >= 0 && (b & 7) == 0)
                {
                    return -1;
                }
                n = Math.Min(n, responseCapacity);
                var answer = new byte[n];
                for (int i = 0; i < n; i++)
                {
                    int v = Next();
                    answer[i] = v < 0 ? (i == n - 2 ? (byte)0x90 : (byte)0x00) : (byte)v;
                }
                Array.Copy(answer, 0, response, responseOffset, n);
                LastAnswer = answer;
                return n;
            }
        }
    }
}
