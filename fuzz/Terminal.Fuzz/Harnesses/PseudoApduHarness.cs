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
    /// off and every PIN buffer zero afterwards; and the answer to the host the same, byte for byte,
    /// when the input is run again with every digit key shifted by 3 (the PIN cannot reach the host).
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
            PseudoApduKind kind = PseudoApdu.Classify(apdu, 0, length);

            // Twice, the second time with every digit key shifted (same keys otherwise, same card): the
            // answer to the host must not change, or it depends on the PIN.
            var first = new byte[Guard + capacity + Guard];
            int n = Once(data, 2 + length, apdu, kind, capacity, first, budget, 0, out World world);
            var second = new byte[Guard + capacity + Guard];
            int m = Once(data, 2 + length, apdu, kind, capacity, second, new Budget(budget.Limit), 3, out World _);
            Check(n == m, $"{kind}: the answer has {n} bytes for one PIN and {m} for another");
            for (int i = 0; i < first.Length; i++)
            {
                Check(first[i] == second[i], $"{kind}: answer byte {i - Guard} depends on the PIN typed");
            }
            if (kind == PseudoApduKind.NotPseudo)
            {
                return "not pseudo";
            }
            int sw = n >= 2 ? (first[Guard + n - 2] << 8) | first[Guard + n - 1] : -1;
            return $"{kind} {n} bytes SW {sw:X4}{(world.Exchanges > 0 ? $", {world.Exchanges} card exchanges" : "")}";
        }

        private static int Once(byte[] data, int worldOffset, byte[] apdu, PseudoApduKind kind, int capacity, byte[] response, Budget budget, int digitShift, out World world)
        {
            world = new World(data, worldOffset, budget, digitShift);
            var service = new SecurePinService(world, world, world, world) { PollMilliseconds = 50 };
            world.OnAbort = service.Abort;
            var interceptor = new PinPadInterceptor(service, new ReaderProperties());
            Fill(response);
            int n = interceptor.Handle(apdu, 0, apdu.Length, world, 0, response, Guard, capacity);

            Check(world.SecureMode == false, "the secure-mode LED is still on after the command");
            Check(service.BuffersAreClear, "a PIN or APDU buffer is not zero after the command");
            if (kind == PseudoApduKind.NotPseudo)
            {
                Check(n == -1, $"a command that is not a pseudo-APDU was answered ({n} bytes)");
                CheckGuards(response, Guard, 0, "Handle");
                return n;
            }
            Check(n >= 0 && n <= capacity, $"{kind}: answer of {n} bytes with capacity {capacity}");
            CheckGuards(response, Guard, n, "Handle");
            Check(n >= 2 || capacity < 2, $"{kind}: answer of {n} bytes without a status word");
            return n;
        }

        /// <summary>Keypad, display, LEDs, clock and card, all played from the input.</summary>
        private sealed class World : IKeypad, ITextDisplay, IIndicators, IClock, ISecureCardChannel
        {
            private readonly byte[] _data;
            private readonly Budget _budget;
            private int _position;
            private long _now;
            private bool _removed;

            private readonly int _digitShift;

            public World(byte[] data, int offset, Budget budget, int digitShift)
            {
                _data = data;
                _position = offset;
                _budget = budget;
                _digitShift = digitShift;
            }

            public bool SecureMode { get; private set; }

            public int Exchanges { get; private set; }

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
                        return k <= 9 ? (Key)((k + _digitShift) % 10) : (Key)k;
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
                return n;
            }
        }
    }
}
