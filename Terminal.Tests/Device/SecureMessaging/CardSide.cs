using System;
using Terminal.Iso7816.SecureMessaging;

namespace Terminal.Tests.Device.SecureMessaging
{
    /// <summary>
    /// The card's half of secure messaging, written separately from the codec for the tests: checks and decrypts a
    /// protected command, builds a protected response (optionally broken in chosen ways).
    /// </summary>
    public sealed class CardSide
    {
        private readonly ISecureMessagingCipher _cipher;
        private readonly byte[] _ssc;
        private readonly int _n;

        public CardSide(ISecureMessagingCipher cipher, byte[] ssc)
        {
            _cipher = cipher;
            _n = cipher.BlockSize;
            _ssc = new byte[_n];
            Array.Copy(ssc, _ssc, _n);
        }

        /// <summary>Header CLA seen by the card in the last command.</summary>
        public int Cla;

        /// <summary>Le from DO'97' of the last command (-1 when absent), as its raw value.</summary>
        public int Le;

        /// <summary>Number of bytes of the DO'97' value.</summary>
        public int LeBytes;

        /// <summary>Tag of the cryptogram object of the last command (0x85, 0x87 or 0 when none).</summary>
        public int CryptogramTag;

        /// <summary>Whether the last command used extended Lc/Le.</summary>
        public bool Extended;

        /// <summary>Whether the checksum of the last command was right.</summary>
        public bool MacValid;

        /// <summary>Verifies the protected command and returns its plain data (empty when none, and when the MAC is
        /// wrong: see <see cref="MacValid"/>). Fails the test on any structural error.</summary>
        public byte[] ReceiveCommand(byte[] apdu)
        {
            Increment();
            Cla = apdu[0];
            int bodyStart;
            int body;
            if (apdu[4] == 0)
            {
                Extended = true;
                body = (apdu[5] << 8) | apdu[6];
                bodyStart = 7;
                Check(apdu.Length == bodyStart + body + 2 && apdu[apdu.Length - 1] == 0 && apdu[apdu.Length - 2] == 0, "extended Lc/Le");
            }
            else
            {
                Extended = false;
                body = apdu[4];
                bodyStart = 5;
                Check(apdu.Length == bodyStart + body + 1 && apdu[apdu.Length - 1] == 0, "short Lc/Le");
            }
            int end = bodyStart + body;
            int p = bodyStart;
            CryptogramTag = 0;
            Le = -1;
            LeBytes = 0;
            int cStart = 0;
            int cLength = 0;
            int macAt = -1;
            while (p < end)
            {
                int tag = apdu[p];
                int len = apdu[p + 1];
                int v = p + 2;
                if (len == 0x81)
                {
                    len = apdu[p + 2];
                    v = p + 3;
                }
                else if (len == 0x82)
                {
                    len = (apdu[p + 2] << 8) | apdu[p + 3];
                    v = p + 4;
                }
                if (tag == 0x87 || tag == 0x85)
                {
                    CryptogramTag = tag;
                    cStart = v;
                    cLength = len;
                }
                else if (tag == 0x97)
                {
                    LeBytes = len;
                    Le = len == 1 ? apdu[v] : (apdu[v] << 8) | apdu[v + 1];
                }
                else if (tag == 0x8E)
                {
                    Check(len == 8 && v + 8 == end, "DO'8E' last and 8 bytes");
                    macAt = p;
                }
                else
                {
                    Check(false, "unexpected tag in command");
                }
                p = v + len;
            }
            Check(macAt > 0, "DO'8E' present");

            _cipher.BeginMac();
            _cipher.UpdateMac(_ssc, 0, _n);
            byte[] header = new byte[_n];
            Array.Copy(apdu, header, 4);
            header[4] = 0x80;
            _cipher.UpdateMac(header, 0, _n);
            int covered = macAt - bodyStart;
            byte[] mac = Padded(apdu, bodyStart, covered);
            _cipher.UpdateMac(mac, 0, mac.Length);
            byte[] tag8 = new byte[8];
            _cipher.FinishMac(tag8, 0);
            MacValid = true;
            for (int i = 0; i < 8; i++)
            {
                if (tag8[i] != apdu[macAt + 2 + i])
                {
                    MacValid = false;
                    return new byte[0];
                }
            }
            if (CryptogramTag == 0)
            {
                return new byte[0];
            }
            if (CryptogramTag == 0x87)
            {
                Check(apdu[cStart] == 1, "padding-content indicator 01");
                cStart++;
                cLength--;
            }
            byte[] plain = new byte[cLength];
            _cipher.Decrypt(_ssc, 0, apdu, cStart, cLength, plain, 0);
            int last = cLength - 1;
            while (plain[last] == 0)
            {
                last--;
            }
            Check(plain[last] == 0x80, "padding method 2");
            byte[] data = new byte[last];
            Array.Copy(plain, data, last);
            return data;
        }

        /// <summary>Builds the protected response to <paramref name="data"/> and <paramref name="sw"/>.</summary>
        /// <param name="data">Plain response data.</param>
        /// <param name="sw">Status word, in DO'99' and as the trailer.</param>
        /// <param name="withStatus">Include DO'99'.</param>
        /// <param name="indicator">Padding-content indicator of DO'87'.</param>
        /// <param name="padding">Pad the plaintext before encryption (false: data must already be whole blocks).</param>
        public byte[] SendResponse(byte[] data, int sw, bool withStatus, byte indicator, bool padding)
        {
            Increment();
            byte[] objects = new byte[0];
            if (data.Length > 0)
            {
                byte[] plain = padding ? Padded(data, 0, data.Length) : data;
                byte[] crypto = new byte[plain.Length + 1];
                crypto[0] = indicator;
                _cipher.Encrypt(_ssc, 0, plain, 0, plain.Length, crypto, 1);
                objects = Concat(objects, Tlv(0x87, crypto));
            }
            if (withStatus)
            {
                objects = Concat(objects, Tlv(0x99, new byte[] { (byte)(sw >> 8), (byte)sw }));
            }
            _cipher.BeginMac();
            _cipher.UpdateMac(_ssc, 0, _n);
            byte[] m = Padded(objects, 0, objects.Length);
            _cipher.UpdateMac(m, 0, m.Length);
            byte[] tag = new byte[8];
            _cipher.FinishMac(tag, 0);
            objects = Concat(objects, Tlv(0x8E, tag));
            return Concat(objects, new byte[] { (byte)(sw >> 8), (byte)sw });
        }

        public static byte[] Tlv(int tag, byte[] value)
        {
            int n = value.Length;
            int lenBytes = n < 0x80 ? 1 : (n < 0x100 ? 2 : 3);
            byte[] r = new byte[1 + lenBytes + n];
            r[0] = (byte)tag;
            if (lenBytes == 1)
            {
                r[1] = (byte)n;
            }
            else if (lenBytes == 2)
            {
                r[1] = 0x81;
                r[2] = (byte)n;
            }
            else
            {
                r[1] = 0x82;
                r[2] = (byte)(n >> 8);
                r[3] = (byte)n;
            }
            Array.Copy(value, 0, r, 1 + lenBytes, n);
            return r;
        }

        public static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            Array.Copy(a, r, a.Length);
            Array.Copy(b, 0, r, a.Length, b.Length);
            return r;
        }

        private byte[] Padded(byte[] data, int offset, int count)
        {
            int total = count - count % _n + _n;
            byte[] r = new byte[total];
            Array.Copy(data, offset, r, 0, count);
            r[count] = 0x80;
            return r;
        }

        private void Increment()
        {
            for (int i = _n - 1; i >= 0; i--)
            {
                _ssc[i]++;
                if (_ssc[i] != 0)
                {
                    break;
                }
            }
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new Exception("card side: " + what);
            }
        }
    }
}
