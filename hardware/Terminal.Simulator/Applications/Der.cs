using System;
using System.IO;
using System.Text;

namespace Terminal.Simulator
{
    /// <summary>A minimal DER writer for the PKCS#15 files of the virtual CPS.</summary>
    public static class Der
    {
        /// <summary>tag, definite length, content.</summary>
        public static byte[] Tag(int tag, params byte[][] content)
        {
            byte[] body = Tlv.Concat(content);
            return Tlv.Wrap(tag, body);
        }

        /// <summary>SEQUENCE.</summary>
        public static byte[] Seq(params byte[][] content) => Tag(0x30, content);

        /// <summary>INTEGER (non-negative, minimal).</summary>
        public static byte[] Int(long value)
        {
            var bytes = new System.Collections.Generic.List<byte>();
            do { bytes.Insert(0, (byte)value); value >>= 8; } while (value > 0);
            if ((bytes[0] & 0x80) != 0) { bytes.Insert(0, 0); }
            return Tlv.Wrap(0x02, bytes.ToArray());
        }

        /// <summary>OCTET STRING.</summary>
        public static byte[] Octets(byte[] value) => Tlv.Wrap(0x04, value);

        /// <summary>UTF8String.</summary>
        public static byte[] Utf8(string s) => Tlv.Wrap(0x0C, Encoding.UTF8.GetBytes(s));

        /// <summary>NULL.</summary>
        public static byte[] Null() => new byte[] { 0x05, 0x00 };

        /// <summary>ENUMERATED.</summary>
        public static byte[] Enumerated(int v) => new byte[] { 0x0A, 0x01, (byte)v };

        /// <summary>BIT STRING of named bits (bit 0 = most significant bit of the first byte), minimal DER form.</summary>
        public static byte[] Bits(params int[] bits)
        {
            int highest = -1;
            foreach (int b in bits) { highest = Math.Max(highest, b); }
            if (highest < 0) { return new byte[] { 0x03, 0x01, 0x00 }; }
            int n = highest / 8 + 1;
            var v = new byte[n + 1];
            v[0] = (byte)(n * 8 - (highest + 1));
            foreach (int b in bits) { v[1 + b / 8] |= (byte)(0x80 >> (b % 8)); }
            return Tlv.Wrap(0x03, v);
        }

        /// <summary>OBJECT IDENTIFIER from dotted text.</summary>
        public static byte[] Oid(string dotted)
        {
            string[] parts = dotted.Split('.');
            var s = new MemoryStream();
            s.WriteByte((byte)(int.Parse(parts[0]) * 40 + int.Parse(parts[1])));
            for (int i = 2; i < parts.Length; i++)
            {
                long v = long.Parse(parts[i]);
                var stack = new System.Collections.Generic.List<byte> { (byte)(v & 0x7F) };
                v >>= 7;
                while (v > 0) { stack.Insert(0, (byte)(0x80 | (v & 0x7F))); v >>= 7; }
                foreach (byte b in stack) { s.WriteByte(b); }
            }
            return Tlv.Wrap(0x06, s.ToArray());
        }
    }
}
