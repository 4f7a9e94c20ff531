using System;

namespace Terminal.Simulator
{
    /// <summary>
    /// A card application at APDU level (ISO/IEC 7816-4). The byte-level engine (T=0 or T=1) and
    /// the vpcd bridge host any implementation; it never sees transport details (61xx, 6Cxx and
    /// GET RESPONSE of T=0 are the engine's business).
    /// </summary>
    public interface ICardApplication
    {
        /// <summary>Cold or warm reset, deactivation or removal: volatile state (PIN verified, current file) is lost.</summary>
        void Reset();

        /// <summary>Processes one command and returns the response (data and status word).</summary>
        ApduResponse Process(ApduCommand command);

        /// <summary>
        /// T=0 needs the direction of a command from its header alone: true when P3 is Lc (data to
        /// the card, case 3 or 4), false when P3 is Le (case 1 or 2).
        /// </summary>
        bool CommandHasData(byte cla, byte ins, byte p1, byte p2);
    }

    /// <summary>A command APDU as the application sees it.</summary>
    public sealed class ApduCommand
    {
        /// <summary>Class byte.</summary>
        public byte Cla { get; }

        /// <summary>Instruction byte.</summary>
        public byte Ins { get; }

        /// <summary>Parameter 1.</summary>
        public byte P1 { get; }

        /// <summary>Parameter 2.</summary>
        public byte P2 { get; }

        /// <summary>Command data (empty when none).</summary>
        public byte[] Data { get; }

        /// <summary>Maximum response length Ne (0 when no response data is expected).</summary>
        public int Ne { get; }

        /// <summary>Makes a command.</summary>
        public ApduCommand(byte cla, byte ins, byte p1, byte p2, byte[]? data, int ne)
        {
            Cla = cla; Ins = ins; P1 = p1; P2 = p2; Data = data ?? Array.Empty<byte>(); Ne = ne;
        }

        /// <summary>
        /// Parses a full command APDU (short or extended); null when malformed.
        /// </summary>
        public static ApduCommand? Parse(byte[] apdu, int offset, int count)
        {
            if (count < 4) { return null; }
            byte cla = apdu[offset], ins = apdu[offset + 1], p1 = apdu[offset + 2], p2 = apdu[offset + 3];
            if (count == 4) { return new ApduCommand(cla, ins, p1, p2, null, 0); }
            int b = apdu[offset + 4];
            if (count == 5) { return new ApduCommand(cla, ins, p1, p2, null, b == 0 ? 256 : b); }
            if (b != 0)
            {
                if (count == 5 + b) { return new ApduCommand(cla, ins, p1, p2, Slice(apdu, offset + 5, b), 0); }
                if (count == 6 + b)
                {
                    int le = apdu[offset + 5 + b];
                    return new ApduCommand(cla, ins, p1, p2, Slice(apdu, offset + 5, b), le == 0 ? 256 : le);
                }
                return null;
            }
            // Extended length.
            if (count == 7)
            {
                int le = (apdu[offset + 5] << 8) | apdu[offset + 6];
                return new ApduCommand(cla, ins, p1, p2, null, le == 0 ? 65536 : le);
            }
            if (count < 7) { return null; }
            int lc = (apdu[offset + 5] << 8) | apdu[offset + 6];
            if (lc == 0) { return null; }
            if (count == 7 + lc) { return new ApduCommand(cla, ins, p1, p2, Slice(apdu, offset + 7, lc), 0); }
            if (count == 9 + lc)
            {
                int le = (apdu[offset + 7 + lc] << 8) | apdu[offset + 8 + lc];
                return new ApduCommand(cla, ins, p1, p2, Slice(apdu, offset + 7, lc), le == 0 ? 65536 : le);
            }
            return null;
        }

        /// <summary>The command as bytes (short form when it fits).</summary>
        public byte[] ToBytes()
        {
            bool extended = Data.Length > 255 || Ne > 256;
            var s = new System.IO.MemoryStream();
            s.WriteByte(Cla); s.WriteByte(Ins); s.WriteByte(P1); s.WriteByte(P2);
            if (!extended)
            {
                if (Data.Length > 0) { s.WriteByte((byte)Data.Length); s.Write(Data, 0, Data.Length); }
                if (Ne > 0) { s.WriteByte((byte)(Ne == 256 ? 0 : Ne)); }
            }
            else
            {
                s.WriteByte(0);
                if (Data.Length > 0) { s.WriteByte((byte)(Data.Length >> 8)); s.WriteByte((byte)Data.Length); s.Write(Data, 0, Data.Length); }
                if (Ne > 0) { int le = Ne == 65536 ? 0 : Ne; s.WriteByte((byte)(le >> 8)); s.WriteByte((byte)le); }
            }
            return s.ToArray();
        }

        private static byte[] Slice(byte[] a, int o, int n)
        {
            var r = new byte[n];
            Buffer.BlockCopy(a, o, r, 0, n);
            return r;
        }
    }

    /// <summary>A response APDU: data and status word, and how long the card worked on it.</summary>
    public sealed class ApduResponse
    {
        /// <summary>Response data (empty when none).</summary>
        public byte[] Data { get; }

        /// <summary>Status word SW1 SW2.</summary>
        public int Sw { get; }

        /// <summary>Extra work time the command took on the card, beyond the profile's timing.</summary>
        public TimeSpan ExtraWork { get; init; }

        /// <summary>Makes a response.</summary>
        public ApduResponse(byte[]? data, int sw)
        {
            Data = data ?? Array.Empty<byte>();
            Sw = sw;
        }

        /// <summary>A bare status word.</summary>
        public static ApduResponse Status(int sw) => new ApduResponse(null, sw);

        /// <summary>Data and 9000.</summary>
        public static ApduResponse Ok(byte[] data) => new ApduResponse(data, 0x9000);

        /// <summary>The response as bytes (data, SW1, SW2).</summary>
        public byte[] ToBytes()
        {
            var r = new byte[Data.Length + 2];
            Buffer.BlockCopy(Data, 0, r, 0, Data.Length);
            r[Data.Length] = (byte)(Sw >> 8);
            r[Data.Length + 1] = (byte)Sw;
            return r;
        }
    }

    /// <summary>Status words used by the applications.</summary>
    public static class Sw
    {
        /// <summary>Success.</summary>
        public const int Ok = 0x9000;
        /// <summary>End of file reached before Le bytes.</summary>
        public const int EndOfFile = 0x6282;
        /// <summary>Wrong length.</summary>
        public const int WrongLength = 0x6700;
        /// <summary>Command incompatible with the file structure.</summary>
        public const int IncompatibleFile = 0x6981;
        /// <summary>Security status not satisfied.</summary>
        public const int SecurityNotSatisfied = 0x6982;
        /// <summary>Authentication method blocked.</summary>
        public const int Blocked = 0x6983;
        /// <summary>Conditions of use not satisfied.</summary>
        public const int ConditionsNotSatisfied = 0x6985;
        /// <summary>Command not allowed (no current EF).</summary>
        public const int NoCurrentEf = 0x6986;
        /// <summary>Incorrect parameters in the data field.</summary>
        public const int WrongData = 0x6A80;
        /// <summary>Function not supported.</summary>
        public const int FunctionNotSupported = 0x6A81;
        /// <summary>File or application not found.</summary>
        public const int FileNotFound = 0x6A82;
        /// <summary>Record not found.</summary>
        public const int RecordNotFound = 0x6A83;
        /// <summary>Incorrect P1 P2.</summary>
        public const int WrongP1P2 = 0x6A86;
        /// <summary>Referenced data not found.</summary>
        public const int DataNotFound = 0x6A88;
        /// <summary>Wrong parameters P1-P2 (offset outside the EF).</summary>
        public const int WrongOffset = 0x6B00;
        /// <summary>Instruction not supported.</summary>
        public const int InsNotSupported = 0x6D00;
        /// <summary>Class not supported.</summary>
        public const int ClaNotSupported = 0x6E00;
        /// <summary>No precise diagnosis.</summary>
        public const int Unknown = 0x6F00;
    }
}
