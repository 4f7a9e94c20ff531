using System;
using System.Numerics;
using System.Security.Cryptography;

namespace Terminal.Simulator.Pace
{
    /// <summary>
    /// The simulated card's own elliptic-curve arithmetic: affine short-Weierstrass points over
    /// <see cref="BigInteger"/>, with the domain parameters exported by .NET for the named curve. Written apart from
    /// the reader's <c>Terminal.Iso7816.Crypto</c> curves and arithmetic on purpose, so that a PACE run between the two
    /// checks both (a shared bug cannot cancel out).
    /// </summary>
    /// <remarks>Slow and not constant-time: a test card, never a model for production code.</remarks>
    public sealed class CardCurve
    {
        private readonly BigInteger _p, _a, _b, _n;
        private readonly CardPoint _g;

        /// <summary>The standardized domain parameter ID of TR-03110-3 A.2.1.1 (12 P-256, 13 brainpoolP256r1, 16 brainpoolP384r1).</summary>
        public int ParameterId { get; }

        /// <summary>Field element length in bytes.</summary>
        public int FieldLength { get; }

        /// <summary>The generator.</summary>
        public CardPoint G => _g;

        /// <summary>The group order.</summary>
        public BigInteger Order => _n;

        private CardCurve(int id, ECCurve named)
        {
            ParameterId = id;
            using ECDiffieHellman key = ECDiffieHellman.Create(named);
            ECParameters e = key.ExportExplicitParameters(false);
            ECCurve c = e.Curve;
            _p = U(c.Prime!);
            _a = U(c.A!);
            _b = U(c.B!);
            _n = U(c.Order!);
            FieldLength = c.Prime!.Length;
            _g = new CardPoint(U(c.G.X!), U(c.G.Y!));
        }

        /// <summary>The curve of a standardized domain parameter ID, or null when the card does not know it.</summary>
        public static CardCurve? FromParameterId(int id)
        {
            switch (id)
            {
                case 12: return new CardCurve(12, ECCurve.NamedCurves.nistP256);
                case 13: return new CardCurve(13, ECCurve.NamedCurves.brainpoolP256r1);
                case 16: return new CardCurve(16, ECCurve.NamedCurves.brainpoolP384r1);
                default: return null;
            }
        }

        /// <summary>Big-endian unsigned bytes to an integer (OS2I).</summary>
        public static BigInteger U(byte[] b) => new BigInteger(b, isUnsigned: true, isBigEndian: true);

        /// <summary>An integer to exactly <paramref name="length"/> big-endian bytes (I2OS).</summary>
        public static byte[] Bytes(BigInteger v, int length)
        {
            byte[] raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            if (raw.Length > length) { throw new ArgumentException("value too long"); }
            var r = new byte[length];
            Buffer.BlockCopy(raw, 0, r, length - raw.Length, raw.Length);
            return r;
        }

        /// <summary>Whether <paramref name="q"/> is a finite point satisfying y² = x³ + ax + b with coordinates in the field.</summary>
        public bool IsOnCurve(CardPoint q)
        {
            if (q.Infinity || q.X.Sign < 0 || q.Y.Sign < 0 || q.X >= _p || q.Y >= _p) { return false; }
            return Mod(q.Y * q.Y - (q.X * q.X * q.X + _a * q.X + _b)) == 0;
        }

        /// <summary>The uncompressed encoding 04 || X || Y.</summary>
        public byte[] Encode(CardPoint q)
        {
            var r = new byte[1 + 2 * FieldLength];
            r[0] = 0x04;
            Buffer.BlockCopy(Bytes(q.X, FieldLength), 0, r, 1, FieldLength);
            Buffer.BlockCopy(Bytes(q.Y, FieldLength), 0, r, 1 + FieldLength, FieldLength);
            return r;
        }

        /// <summary>Decodes an uncompressed point; null when it is not one of the right length or not on the curve.</summary>
        public CardPoint? Decode(byte[] b)
        {
            if (b.Length != 1 + 2 * FieldLength || b[0] != 0x04) { return null; }
            var x = new byte[FieldLength];
            var y = new byte[FieldLength];
            Buffer.BlockCopy(b, 1, x, 0, FieldLength);
            Buffer.BlockCopy(b, 1 + FieldLength, y, 0, FieldLength);
            var q = new CardPoint(U(x), U(y));
            return IsOnCurve(q) ? q : null;
        }

        /// <summary>A uniformly random scalar in [1, n-1].</summary>
        public BigInteger RandomScalar()
        {
            var buf = new byte[FieldLength + 8];
            RandomNumberGenerator.Fill(buf);
            BigInteger k = U(buf) % (_n - 1) + 1;
            Array.Clear(buf);
            return k;
        }

        /// <summary>P + Q.</summary>
        public CardPoint Add(CardPoint p, CardPoint q)
        {
            if (p.Infinity) { return q; }
            if (q.Infinity) { return p; }
            BigInteger l;
            if (p.X == q.X)
            {
                if (Mod(p.Y + q.Y) == 0) { return CardPoint.AtInfinity; }
                l = Mod((3 * p.X * p.X + _a) * Inverse(2 * p.Y));
            }
            else
            {
                l = Mod((q.Y - p.Y) * Inverse(q.X - p.X));
            }
            BigInteger x = Mod(l * l - p.X - q.X);
            BigInteger y = Mod(l * (p.X - x) - p.Y);
            return new CardPoint(x, y);
        }

        /// <summary>k·P by double-and-add from the top bit, in Jacobian coordinates (one inversion at the end).</summary>
        public CardPoint Multiply(BigInteger k, CardPoint p)
        {
            k %= _n;
            if (k.Sign < 0) { k += _n; }
            if (p.Infinity || k.IsZero) { return CardPoint.AtInfinity; }
            // (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0 is the point at infinity.
            BigInteger x = BigInteger.One, y = BigInteger.One, z = BigInteger.Zero;
            for (int i = (int)k.GetBitLength() - 1; i >= 0; i--)
            {
                Double(ref x, ref y, ref z);
                if (!(k >> i).IsEven) { AddAffine(ref x, ref y, ref z, p); }
            }
            if (z.IsZero) { return CardPoint.AtInfinity; }
            BigInteger zi = Inverse(z);
            BigInteger zi2 = Mod(zi * zi);
            return new CardPoint(Mod(x * zi2), Mod(y * zi2 * zi));
        }

        private void Double(ref BigInteger x, ref BigInteger y, ref BigInteger z)
        {
            if (z.IsZero || y.IsZero) { z = BigInteger.Zero; return; }
            BigInteger yy = Mod(y * y);
            BigInteger s = Mod(4 * x * yy);
            BigInteger zz = Mod(z * z);
            BigInteger m = Mod(3 * x * x + _a * zz * zz);
            BigInteger x3 = Mod(m * m - 2 * s);
            BigInteger y3 = Mod(m * (s - x3) - 8 * yy * yy);
            z = Mod(2 * y * z);
            x = x3;
            y = y3;
        }

        // (X, Y, Z) += affine q.
        private void AddAffine(ref BigInteger x, ref BigInteger y, ref BigInteger z, CardPoint q)
        {
            if (z.IsZero) { x = q.X; y = q.Y; z = BigInteger.One; return; }
            BigInteger zz = Mod(z * z);
            BigInteger u2 = Mod(q.X * zz);
            BigInteger s2 = Mod(q.Y * zz * z);
            BigInteger h = Mod(u2 - x);
            BigInteger r = Mod(s2 - y);
            if (h.IsZero)
            {
                if (r.IsZero) { Double(ref x, ref y, ref z); } else { z = BigInteger.Zero; }
                return;
            }
            BigInteger hh = Mod(h * h);
            BigInteger hhh = Mod(hh * h);
            BigInteger v = Mod(x * hh);
            BigInteger x3 = Mod(r * r - hhh - 2 * v);
            BigInteger y3 = Mod(r * (v - x3) - y * hhh);
            z = Mod(z * h);
            x = x3;
            y = y3;
        }

        private BigInteger Mod(BigInteger v)
        {
            BigInteger r = v % _p;
            return r.Sign < 0 ? r + _p : r;
        }

        private BigInteger Inverse(BigInteger v) => BigInteger.ModPow(Mod(v), _p - 2, _p);
    }

    /// <summary>An affine point or the point at infinity.</summary>
    public readonly struct CardPoint
    {
        /// <summary>x coordinate.</summary>
        public BigInteger X { get; }

        /// <summary>y coordinate.</summary>
        public BigInteger Y { get; }

        /// <summary>Whether this is the neutral element.</summary>
        public bool Infinity { get; }

        /// <summary>A finite point.</summary>
        public CardPoint(BigInteger x, BigInteger y) { X = x; Y = y; Infinity = false; }

        private CardPoint(bool infinity) { X = BigInteger.Zero; Y = BigInteger.Zero; Infinity = infinity; }

        /// <summary>The neutral element.</summary>
        public static readonly CardPoint AtInfinity = new CardPoint(true);
    }
}
