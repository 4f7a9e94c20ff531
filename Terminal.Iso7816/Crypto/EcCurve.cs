using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// Domain parameters of a short Weierstrass curve y² = x³ + ax + b over GF(p), big-endian, as PACE uses them:
    /// brainpoolP256r1 and brainpoolP384r1 (RFC 5639 3.4, 3.6) and NIST P-256 (FIPS 186-4 D.1.2.3), with the
    /// standardized domain parameter IDs of BSI TR-03110-3 Table 4.
    /// </summary>
    public sealed class EcCurve
    {
        /// <summary>brainpoolP256r1 (RFC 5639 3.4), TR-03110 parameter ID 13.</summary>
        public static readonly EcCurve BrainpoolP256r1 = new EcCurve(
            "brainpoolP256r1", 13,
            "A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377",
            "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9",
            "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6",
            "8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262",
            "547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997",
            "A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7");

        /// <summary>NIST P-256 / secp256r1 (FIPS 186-4 D.1.2.3), TR-03110 parameter ID 12.</summary>
        public static readonly EcCurve NistP256 = new EcCurve(
            "P-256", 12,
            "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
            "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
            "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
            "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
            "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5",
            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

        /// <summary>brainpoolP384r1 (RFC 5639 3.6), TR-03110 parameter ID 16.</summary>
        public static readonly EcCurve BrainpoolP384r1 = new EcCurve(
            "brainpoolP384r1", 16,
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729901D1A71874700133107EC53",
            "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F8AA5814A503AD4EB04A8C7DD22CE2826",
            "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57CB4390295DBC9943AB78696FA504C11",
            "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8E826E03436D646AAEF87B2E247D4AF1E",
            "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF99129280E4646217791811142820341263C5315",
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7CF3AB6AF6B7FC3103B883202E9046565");

        private readonly string _name;
        private readonly int _parameterId;
        private readonly byte[] _p;
        private readonly byte[] _a;
        private readonly byte[] _b;
        private readonly byte[] _g;
        private readonly byte[] _order;

        private EcCurve(string name, int parameterId, string p, string a, string b, string gx, string gy, string order)
        {
            _name = name;
            _parameterId = parameterId;
            _p = Parse(p);
            _a = Parse(a);
            _b = Parse(b);
            _order = Parse(order);
            int n = _p.Length;
            _g = new byte[1 + 2 * n];
            _g[0] = 0x04;
            Array.Copy(Parse(gx), 0, _g, 1, n);
            Array.Copy(Parse(gy), 0, _g, 1 + n, n);
        }

        /// <summary>The curve with TR-03110 standardized domain parameter ID <paramref name="id"/>, or null.</summary>
        public static EcCurve? FromParameterId(int id)
        {
            if (id == 13)
            {
                return BrainpoolP256r1;
            }
            if (id == 12)
            {
                return NistP256;
            }
            if (id == 16)
            {
                return BrainpoolP384r1;
            }
            return null;
        }

        /// <summary>Common name ("brainpoolP256r1", "P-256", "brainpoolP384r1").</summary>
        public string Name
        {
            get { return _name; }
        }

        /// <summary>BSI TR-03110-3 standardized domain parameter ID.</summary>
        public int ParameterId
        {
            get { return _parameterId; }
        }

        /// <summary>Length of a field element and of a scalar in bytes (32 or 48).</summary>
        public int FieldLength
        {
            get { return _p.Length; }
        }

        /// <summary>Length of an uncompressed point 04 || X || Y.</summary>
        public int PointLength
        {
            get { return 1 + 2 * _p.Length; }
        }

        /// <summary>Copies the prime p (big-endian, <see cref="FieldLength"/> bytes).</summary>
        public void GetPrime(byte[] output, int offset)
        {
            Array.Copy(_p, 0, output, offset, _p.Length);
        }

        /// <summary>Copies a.</summary>
        public void GetA(byte[] output, int offset)
        {
            Array.Copy(_a, 0, output, offset, _a.Length);
        }

        /// <summary>Copies b.</summary>
        public void GetB(byte[] output, int offset)
        {
            Array.Copy(_b, 0, output, offset, _b.Length);
        }

        /// <summary>Copies the generator G, uncompressed (<see cref="PointLength"/> bytes).</summary>
        public void GetGenerator(byte[] output, int offset)
        {
            Array.Copy(_g, 0, output, offset, _g.Length);
        }

        /// <summary>Copies the order n of G (cofactor 1 for the three curves).</summary>
        public void GetOrder(byte[] output, int offset)
        {
            Array.Copy(_order, 0, output, offset, _order.Length);
        }

        private static byte[] Parse(string hex)
        {
            byte[] r = new byte[hex.Length / 2];
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[2 * i + 1]));
            }
            return r;
        }

        private static int Nibble(char c)
        {
            return c <= '9' ? c - '0' : c - 'A' + 10;
        }
    }
}
