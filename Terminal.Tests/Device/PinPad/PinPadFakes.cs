using System.Collections;
using Terminal.Boards;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>A clock that only moves when told to.</summary>
    public sealed class FakeClock : IClock
    {
        public long Now;

        public long NowMilliseconds
        {
            get { return Now; }
        }

        public void Sleep(int milliseconds)
        {
            Now += milliseconds;
        }
    }

    /// <summary>Records the secure-mode LED (its state and every change) and the beeps.</summary>
    public sealed class RecordingIndicators : IIndicators
    {
        public bool SecureMode;
        public int SecureModeChanges;
        public int Beeps;

        public void SetSecureMode(bool on)
        {
            if (on != SecureMode)
            {
                SecureModeChanges++;
            }

            SecureMode = on;
        }

        public void SetCardAccess(int slot, bool on)
        {
        }

        public void Beep(int milliseconds)
        {
            Beeps++;
        }
    }

    /// <summary>A 2x16 display that records every line it is asked to show.</summary>
    public sealed class RecordingDisplay : ITextDisplay
    {
        public readonly ArrayList Shown = new ArrayList();
        public string Line0 = string.Empty;
        public string Line1 = string.Empty;
        public int LongestLine;

        public int Rows
        {
            get { return 2; }
        }

        public int Columns
        {
            get { return 16; }
        }

        public void Show(int row, string text)
        {
            Shown.Add(text);
            if (text.Length > LongestLine)
            {
                LongestLine = text.Length;
            }

            if (row == 0)
            {
                Line0 = text;
            }
            else
            {
                Line1 = text;
            }
        }

        public void Clear()
        {
            Line0 = Line1 = string.Empty;
        }

        /// <summary>True when any text shown contains <paramref name="fragment"/>.</summary>
        public bool Contains(string fragment)
        {
            foreach (string s in Shown)
            {
                if (s.IndexOf(fragment) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// A keypad playing a script of key presses, each after a delay: ReadKey advances the fake clock
    /// by the delay when the next key comes within the timeout, else by the whole timeout. It records
    /// whether the secure-mode LED was lit at every read.
    /// </summary>
    public sealed class ScriptedKeypad : IKeypad
    {
        private readonly FakeClock _clock;
        private readonly RecordingIndicators _indicators;
        private readonly ArrayList _keys = new ArrayList();
        private readonly ArrayList _delays = new ArrayList();
        private int _next;

        public int Reads;
        public int ReadsWithoutSecureMode;
        public int Flushes;

        public ScriptedKeypad(FakeClock clock, RecordingIndicators indicators)
        {
            _clock = clock;
            _indicators = indicators;
        }

        /// <summary>
        /// Presses the keys of <paramref name="script"/>, <paramref name="gapMilliseconds"/> apart, in
        /// the notation of the virtual keypad and <c>terminal run --keys</c>: digits, K = OK (green),
        /// C = Cancel (red), R = Correction (yellow), _ = one more second before the next key; ','
        /// separates prompts and presses nothing.
        /// </summary>
        public ScriptedKeypad Type(string script, int gapMilliseconds)
        {
            int pause = 0;
            for (int i = 0; i < script.Length; i++)
            {
                char c = script[i];
                if (c == '_')
                {
                    pause += 1000;
                    continue;
                }

                Key key = Key.None;
                if (c >= '0' && c <= '9')
                {
                    key = (Key)(c - '0');
                }
                else if (c == 'K')
                {
                    key = Key.Ok;
                }
                else if (c == 'C')
                {
                    key = Key.Cancel;
                }
                else if (c == 'R')
                {
                    key = Key.Correction;
                }

                if (key != Key.None)
                {
                    Press(key, gapMilliseconds + pause);
                    pause = 0;
                }
            }

            return this;
        }

        /// <summary>Presses <paramref name="key"/> <paramref name="afterMilliseconds"/> after the previous key (or the first read).</summary>
        public ScriptedKeypad Press(Key key, int afterMilliseconds)
        {
            _keys.Add(key);
            _delays.Add(afterMilliseconds);
            return this;
        }

        public int Remaining
        {
            get { return _keys.Count - _next; }
        }

        public Key ReadKey(int timeoutMilliseconds)
        {
            Reads++;
            if (!_indicators.SecureMode)
            {
                ReadsWithoutSecureMode++;
            }

            if (_next >= _keys.Count)
            {
                _clock.Now += timeoutMilliseconds;
                return Key.None;
            }

            int delay = (int)_delays[_next]!;
            if (delay <= timeoutMilliseconds)
            {
                _clock.Now += delay;
                Key key = (Key)_keys[_next]!;
                _next++;
                return key;
            }

            _clock.Now += timeoutMilliseconds;
            _delays[_next] = delay - timeoutMilliseconds;
            return Key.None;
        }

        public void Flush()
        {
            Flushes++;
        }
    }

    /// <summary>
    /// A virtual CPx card behind the slot: PIN (3 tries), unblock code (8 digits, 10 tries), VERIFY,
    /// CHANGE REFERENCE DATA and RESET RETRY COUNTER with ASCII digits padded with FFh to 8 bytes (the
    /// padding is stripped), or without padding for VERIFY. It keeps every command it received.
    /// </summary>
    public sealed class FakeCpsCard : ISecureCardChannel
    {
        public readonly ArrayList Commands = new ArrayList();
        public byte[] Pin = new byte[] { 0x31, 0x32, 0x33, 0x34 };
        public byte[] Puk = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38 };
        public int Tries = 3;
        public int PukTries = 10;
        public bool Verified;
        public bool Present = true;
        public long RemovedAt = -1;
        public bool Mute;
        private readonly FakeClock _clock;

        public FakeCpsCard(FakeClock clock)
        {
            _clock = clock;
        }

        public bool IsCardPresent
        {
            get { return Present && (RemovedAt < 0 || _clock.Now < RemovedAt); }
        }

        /// <summary>How often the entry asked the host to keep waiting, and the longest gap between two asks.</summary>
        public int KeepAlives;
        public long LongestKeepAliveGap;
        private long _lastKeepAlive = -1;

        public void KeepHostWaiting()
        {
            if (_lastKeepAlive >= 0 && _clock.Now - _lastKeepAlive > LongestKeepAliveGap)
            {
                LongestKeepAliveGap = _clock.Now - _lastKeepAlive;
            }

            _lastKeepAlive = _clock.Now;
            KeepAlives++;
        }

        public byte[] LastCommand
        {
            get { return Commands.Count == 0 ? new byte[0] : (byte[])Commands[Commands.Count - 1]!; }
        }

        public int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity)
        {
            byte[] apdu = new byte[commandLength];
            for (int i = 0; i < commandLength; i++)
            {
                apdu[i] = command[commandOffset + i];
            }

            Commands.Add(apdu);
            if (Mute || !IsCardPresent)
            {
                return -1;
            }

            int sw = Process(apdu);
            response[responseOffset] = (byte)(sw >> 8);
            response[responseOffset + 1] = (byte)sw;
            return 2;
        }

        private int Process(byte[] apdu)
        {
            if (apdu.Length < 4)
            {
                return 0x6700;
            }

            int ins = apdu[1];
            int lc = apdu.Length > 5 ? apdu[4] : 0;
            if (apdu.Length > 5 && apdu.Length != 5 + lc)
            {
                return 0x6700;
            }

            if (ins == 0x20)
            {
                if (lc == 0)
                {
                    return Verified ? 0x9000 : 0x63C0 | Tries;
                }

                if (Tries == 0)
                {
                    return 0x6983;
                }

                if (Matches(apdu, 5, Unpadded(apdu, 5, lc), Pin))
                {
                    Tries = 3;
                    Verified = true;
                    return 0x9000;
                }

                Tries--;
                Verified = false;
                return Tries == 0 ? 0x6983 : 0x63C0 | Tries;
            }

            if (ins == 0x24)
            {
                if (lc != 16)
                {
                    return 0x6700;
                }

                if (Tries == 0)
                {
                    return 0x6983;
                }

                if (!Matches(apdu, 5, Unpadded(apdu, 5, 8), Pin))
                {
                    Tries--;
                    return Tries == 0 ? 0x6983 : 0x63C0 | Tries;
                }

                Pin = Copy(apdu, 13, Unpadded(apdu, 13, 8));
                Tries = 3;
                return 0x9000;
            }

            if (ins == 0x2C && apdu[2] == 0x00)
            {
                if (lc < 9)
                {
                    return 0x6700;
                }

                if (PukTries == 0)
                {
                    return 0x6983;
                }

                if (!Matches(apdu, 5, 8, Puk))
                {
                    PukTries--;
                    return 0x63C0 | PukTries;
                }

                Pin = Copy(apdu, 13, Unpadded(apdu, 13, lc - 8));
                Tries = 3;
                PukTries = 10;
                return 0x9000;
            }

            return 0x6D00;
        }

        private static int Unpadded(byte[] data, int offset, int length)
        {
            int n = length;
            while (n > 0 && data[offset + n - 1] == 0xFF)
            {
                n--;
            }

            return n;
        }

        private static bool Matches(byte[] data, int offset, int length, byte[] secret)
        {
            if (length != secret.Length || offset + length > data.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (data[offset + i] != secret[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] Copy(byte[] data, int offset, int length)
        {
            byte[] copy = new byte[length];
            for (int i = 0; i < length; i++)
            {
                copy[i] = data[offset + i];
            }

            return copy;
        }
    }

    /// <summary>The board parts and a service wired together, with PIN buffers over arrays the test can inspect.</summary>
    public sealed class PinPadRig
    {
        public readonly FakeClock Clock = new FakeClock();
        public readonly RecordingIndicators Indicators = new RecordingIndicators();
        public readonly RecordingDisplay Display = new RecordingDisplay();
        public readonly ScriptedKeypad Keypad;
        public readonly FakeCpsCard Card;
        public readonly byte[] CurrentStorage = new byte[16];
        public readonly byte[] NewStorage = new byte[16];
        public readonly byte[] ConfirmStorage = new byte[16];
        public readonly SecurePinService Service;
        public readonly byte[] Response = new byte[300];

        public PinPadRig()
        {
            Keypad = new ScriptedKeypad(Clock, Indicators);
            Card = new FakeCpsCard(Clock);
            Service = new SecurePinService(Keypad, Display, Indicators, Clock, new PinBuffer(CurrentStorage), new PinBuffer(NewStorage), new PinBuffer(ConfirmStorage));
        }

        public SecurePinResult Run(byte[] structure, PinStructureForm form)
        {
            return Service.Execute(structure, 0, structure.Length, form, Card, T1Edc.None, Response, 0, Response.Length);
        }

        public bool StorageIsZero
        {
            get
            {
                int any = 0;
                for (int i = 0; i < 16; i++)
                {
                    any |= CurrentStorage[i] | NewStorage[i] | ConfirmStorage[i];
                }

                return any == 0;
            }
        }
    }

    /// <summary>Structures as the hosts send them.</summary>
    public static class PinStructures
    {
        /// <summary>Hex digits to bytes ("1E 1E 82" or "1E1E82").</summary>
        public static byte[] Hex(string hex)
        {
            ArrayList bytes = new ArrayList();
            int value = -1;
            for (int i = 0; i < hex.Length; i++)
            {
                int nibble = HexValue(hex[i]);
                if (nibble < 0)
                {
                    continue;
                }

                if (value < 0)
                {
                    value = nibble;
                }
                else
                {
                    bytes.Add((byte)((value << 4) | nibble));
                    value = -1;
                }
            }

            byte[] result = new byte[bytes.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte)bytes[i]!;
            }

            return result;
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }

        /// <summary>The PC/SC structure OpenSC sends for the CPS PIN (cps-opensc.md): variable length, Lc 0.</summary>
        public static byte[] OpenScVerify()
        {
            return Hex("1E 1E 82 00 00 08 04 02 00 00 00 00 00 00 00 05 00 00 00 00 20 00 01 00");
        }

        /// <summary>OpenSC's padded form: ASCII, block 8, template 00 20 00 01 08 FF*8.</summary>
        public static byte[] OpenScVerifyPadded()
        {
            return Hex("1E 1E 82 08 00 08 04 02 00 00 00 00 00 00 00 0D 00 00 00 00 20 00 01 08 FF FF FF FF FF FF FF FF");
        }

        /// <summary>The same padded verify as libccid turns it into CCID abData (bPINOperation 00, no bTimeOut2, no ulDataLength).</summary>
        public static byte[] CcidVerifyPadded()
        {
            return Hex("00 1E 82 08 00 08 04 02 01 0C 04 00 00 00 00 00 20 00 01 08 FF FF FF FF FF FF FF FF");
        }

        /// <summary>
        /// A PC/SC modify structure: CHANGE REFERENCE DATA, current and new PIN ASCII in FF-padded
        /// 8-byte blocks at data offsets 0 and 8, confirmation, three messages.
        /// </summary>
        public static byte[] PcscChange(int confirm)
        {
            return Hex("1E 1E 82 08 00 00 08 08 04 0" + confirm.ToString() + " 02 03 0C 04 00 01 02 00 00 00 15 00 00 00"
                + " 00 24 00 01 10 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
        }

        /// <summary>Unblock: RESET RETRY COUNTER P1 00 with the 8-digit code (block at 0) and the new PIN (block at 8) typed twice.</summary>
        public static byte[] PcscUnblock()
        {
            return Hex("1E 1E 82 08 00 00 08 08 04 03 02 03 0C 04 00 01 02 00 00 00 15 00 00 00"
                + " 00 2C 00 01 10 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF");
        }
    }
}
