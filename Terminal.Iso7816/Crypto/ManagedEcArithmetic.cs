using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// Elliptic-curve arithmetic in portable managed code: fixed-size 32-bit limbs, Montgomery multiplication
    /// (CIOS) modulo any odd prime, Jacobian coordinates with the general-a formulas (brainpool curves do not have
    /// a = -3). No BigInteger, no generics, nothing allocated per operation (all temporaries are fields).
    /// </summary>
    /// <remarks>
    /// This is the reference implementation: correct everywhere, about 60 to 100 million IL instructions per PACE
    /// on the nanoCLR interpreter (tens of seconds on an ESP32), so the device uses a native implementation and this
    /// one serves tests and the desktop cross-checks. Scalar multiplication is plain double-and-add, not constant
    /// time: acceptable for ephemeral PACE keys checked by tests, not for long-term keys on a device.
    /// Not thread-safe: one instance per thread.
    /// </remarks>
    public sealed class ManagedEcArithmetic : IEcArithmetic
    {
        private readonly EcCurve _curve;
        private readonly IRandomSource? _random;
        private readonly int _l;
        private readonly int _len;
        private readonly uint[] _p;
        private readonly uint[] _pMinus2;
        private readonly byte[] _order;
        private readonly uint _n0;
        private readonly uint[] _one;
        private readonly uint[] _rr;
        private readonly uint[] _aM;
        private readonly uint[] _bM;
        private readonly uint[] _t;

        // Temporaries of the point formulas and conversions.
        private readonly uint[] _t1;
        private readonly uint[] _t2;
        private readonly uint[] _t3;
        private readonly uint[] _t4;
        private readonly uint[] _t5;
        private readonly uint[] _t6;
        private readonly uint[] _t7;
        private readonly uint[] _t8;

        // Points: base P (affine, Z = 1), addend Q, accumulator R.
        private readonly uint[] _px;
        private readonly uint[] _py;
        private readonly uint[] _pz;
        private readonly uint[] _qx;
        private readonly uint[] _qy;
        private readonly uint[] _qz;
        private readonly uint[] _rx;
        private readonly uint[] _ry;
        private readonly uint[] _rz;
        private long _multiplications;

        /// <summary>Prepares the Montgomery constants of <paramref name="curve"/>. <paramref name="random"/> may be
        /// null when <see cref="RandomScalar"/> is not used.</summary>
        public ManagedEcArithmetic(EcCurve curve, IRandomSource? random)
        {
            _curve = curve;
            _random = random;
            _len = curve.FieldLength;
            _l = _len / 4;
            int l = _l;
            _t = new uint[l + 2];
            _t1 = new uint[l];
            _t2 = new uint[l];
            _t3 = new uint[l];
            _t4 = new uint[l];
            _t5 = new uint[l];
            _t6 = new uint[l];
            _t7 = new uint[l];
            _t8 = new uint[l];
            _px = new uint[l];
            _py = new uint[l];
            _pz = new uint[l];
            _qx = new uint[l];
            _qy = new uint[l];
            _qz = new uint[l];
            _rx = new uint[l];
            _ry = new uint[l];
            _rz = new uint[l];

            byte[] buffer = new byte[_len];
            _p = new uint[l];
            curve.GetPrime(buffer, 0);
            FromBytes(buffer, 0, _p);
            _order = new byte[_len];
            curve.GetOrder(_order, 0);

            // n0 = -p^-1 mod 2^32 by Newton's iteration (each step doubles the correct low bits).
            uint inv = 1;
            for (int i = 0; i < 5; i++)
            {
                inv *= 2 - _p[0] * inv;
            }
            _n0 = 0 - inv;

            // R mod p and R² mod p (R = 2^(32 l)) by repeated modular doubling from 1.
            _one = new uint[l];
            _one[0] = 1;
            for (int i = 0; i < 32 * l; i++)
            {
                Add(_one, _one, _one);
            }
            _rr = new uint[l];
            Array.Copy(_one, _rr, l);
            for (int i = 0; i < 32 * l; i++)
            {
                Add(_rr, _rr, _rr);
            }

            _pMinus2 = new uint[l];
            Array.Copy(_p, _pMinus2, l);
            SubtractSmall(_pMinus2, 2);

            _aM = new uint[l];
            curve.GetA(buffer, 0);
            FromBytes(buffer, 0, _aM);
            Mul(_aM, _rr, _aM);
            _bM = new uint[l];
            curve.GetB(buffer, 0);
            FromBytes(buffer, 0, _bM);
            Mul(_bM, _rr, _bM);
        }

        /// <inheritdoc />
        public EcCurve Curve
        {
            get { return _curve; }
        }

        /// <summary>Field multiplications (Montgomery products, squarings included) done so far: the unit of cost
        /// for the device estimate (each is about 2 l² inner-loop iterations for l 32-bit limbs).</summary>
        public long FieldMultiplications
        {
            get { return _multiplications; }
        }

        /// <inheritdoc />
        public bool IsOnCurve(byte[] point, int offset)
        {
            return LoadPoint(point, offset, _qx, _qy, _qz);
        }

        /// <inheritdoc />
        public bool Multiply(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset, byte[] result, int resultOffset)
        {
            if (!LoadPoint(point, pointOffset, _px, _py, _pz))
            {
                return false;
            }
            ScalarMultiply(scalar, scalarOffset, scalarLength);
            return StoreResult(result, resultOffset);
        }

        /// <inheritdoc />
        public bool MultiplyAdd(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset,
            byte[] addend, int addendOffset, byte[] result, int resultOffset)
        {
            if (!LoadPoint(point, pointOffset, _px, _py, _pz))
            {
                return false;
            }
            ScalarMultiply(scalar, scalarOffset, scalarLength);
            if (!LoadPoint(addend, addendOffset, _qx, _qy, _qz))
            {
                return false;
            }
            AddPoints(_rx, _ry, _rz, _qx, _qy, _qz, _rx, _ry, _rz);
            return StoreResult(result, resultOffset);
        }

        /// <inheritdoc />
        public void RandomScalar(byte[] output, int offset)
        {
            if (_random == null)
            {
                throw new InvalidOperationException("no random source");
            }
            // Rejection sampling keeps the scalar uniform; the top byte is masked to the bit length of n.
            int mask = 0xFF;
            while ((mask >> 1) >= _order[0])
            {
                mask >>= 1;
            }
            while (true)
            {
                _random.GetBytes(output, offset, _len);
                output[offset] = (byte)(output[offset] & mask);
                bool zero = true;
                for (int i = 0; i < _len; i++)
                {
                    if (output[offset + i] != 0)
                    {
                        zero = false;
                        break;
                    }
                }
                if (!zero && CompareBytes(output, offset, _order) < 0)
                {
                    return;
                }
            }
        }

        private void ScalarMultiply(byte[] scalar, int offset, int length)
        {
            Array.Clear(_rx, 0, _l);
            Array.Clear(_ry, 0, _l);
            Array.Clear(_rz, 0, _l);
            for (int i = 0; i < length; i++)
            {
                int b = scalar[offset + i];
                for (int bit = 7; bit >= 0; bit--)
                {
                    DoublePoint(_rx, _ry, _rz, _rx, _ry, _rz);
                    if (((b >> bit) & 1) != 0)
                    {
                        AddPoints(_rx, _ry, _rz, _px, _py, _pz, _rx, _ry, _rz);
                    }
                }
            }
        }

        // Parses 04 || X || Y into Montgomery-form Jacobian coordinates (Z = 1) and checks the curve equation.
        private bool LoadPoint(byte[] point, int offset, uint[] x, uint[] y, uint[] z)
        {
            if (point[offset] != 0x04)
            {
                return false;
            }
            FromBytes(point, offset + 1, x);
            FromBytes(point, offset + 1 + _len, y);
            if (Compare(x, _p) >= 0 || Compare(y, _p) >= 0)
            {
                return false;
            }
            Mul(x, _rr, x);
            Mul(y, _rr, y);
            Array.Copy(_one, z, _l);

            // y² = x³ + a·x + b
            Mul(y, y, _t1);
            Mul(x, x, _t2);
            Add(_t2, _aM, _t2);
            Mul(_t2, x, _t2);
            Add(_t2, _bM, _t2);
            return Compare(_t1, _t2) == 0;
        }

        private bool StoreResult(byte[] result, int offset)
        {
            if (IsZero(_rz))
            {
                return false;
            }
            Invert(_rz, _t1);
            Mul(_t1, _t1, _t2);
            Mul(_rx, _t2, _t3);
            Mul(_t2, _t1, _t2);
            Mul(_ry, _t2, _t4);
            Array.Clear(_t1, 0, _l);
            _t1[0] = 1;
            Mul(_t3, _t1, _t3);
            Mul(_t4, _t1, _t4);
            result[offset] = 0x04;
            ToBytes(_t3, result, offset + 1);
            ToBytes(_t4, result, offset + 1 + _len);
            return true;
        }

        // (x3, y3, z3) = 2·(x1, y1, z1); outputs may be the inputs. Z = 0 is the point at infinity.
        private void DoublePoint(uint[] x1, uint[] y1, uint[] z1, uint[] x3, uint[] y3, uint[] z3)
        {
            if (IsZero(z1) || IsZero(y1))
            {
                Array.Clear(z3, 0, _l);
                return;
            }
            Mul(x1, x1, _t1);            // XX
            Mul(y1, y1, _t2);            // YY
            Mul(_t2, _t2, _t3);          // YYYY
            Mul(z1, z1, _t4);            // ZZ
            Mul(x1, _t2, _t5);
            Add(_t5, _t5, _t5);
            Add(_t5, _t5, _t5);          // S = 4·X·YY
            Mul(_t4, _t4, _t6);
            Mul(_t6, _aM, _t6);
            Add(_t1, _t1, _t7);
            Add(_t7, _t1, _t7);
            Add(_t7, _t6, _t6);          // M = 3·XX + a·ZZ²
            Mul(y1, z1, _t7);
            Add(_t7, _t7, z3);           // Z3 = 2·Y·Z
            Mul(_t6, _t6, _t7);
            Sub(_t7, _t5, _t7);
            Sub(_t7, _t5, x3);           // X3 = M² - 2S
            Sub(_t5, x3, _t5);
            Mul(_t6, _t5, _t5);
            Add(_t3, _t3, _t3);
            Add(_t3, _t3, _t3);
            Add(_t3, _t3, _t3);
            Sub(_t5, _t3, y3);           // Y3 = M·(S - X3) - 8·YYYY
        }

        // (x3, y3, z3) = (x1, y1, z1) + (x2, y2, z2); outputs may be the first input.
        private void AddPoints(uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2, uint[] z2, uint[] x3, uint[] y3, uint[] z3)
        {
            if (IsZero(z1))
            {
                Array.Copy(x2, x3, _l);
                Array.Copy(y2, y3, _l);
                Array.Copy(z2, z3, _l);
                return;
            }
            if (IsZero(z2))
            {
                if (x3 != x1)
                {
                    Array.Copy(x1, x3, _l);
                    Array.Copy(y1, y3, _l);
                    Array.Copy(z1, z3, _l);
                }
                return;
            }
            Mul(z1, z1, _t1);            // Z1Z1
            Mul(z2, z2, _t2);            // Z2Z2
            Mul(x1, _t2, _t3);           // U1
            Mul(x2, _t1, _t4);           // U2
            Mul(y1, z2, _t5);
            Mul(_t5, _t2, _t5);          // S1
            Mul(y2, z1, _t6);
            Mul(_t6, _t1, _t6);          // S2
            Sub(_t4, _t3, _t4);          // H
            Sub(_t6, _t5, _t6);          // R
            if (IsZero(_t4))
            {
                if (IsZero(_t6))
                {
                    DoublePoint(x1, y1, z1, x3, y3, z3);
                }
                else
                {
                    Array.Clear(z3, 0, _l);
                }
                return;
            }
            Mul(z1, z2, _t1);
            Mul(_t1, _t4, z3);           // Z3 = Z1·Z2·H
            Mul(_t4, _t4, _t2);          // HH
            Mul(_t4, _t2, _t7);          // HHH
            Mul(_t3, _t2, _t3);          // V = U1·HH
            Mul(_t6, _t6, _t8);
            Sub(_t8, _t7, _t8);
            Sub(_t8, _t3, _t8);
            Sub(_t8, _t3, x3);           // X3 = R² - HHH - 2V
            Sub(_t3, x3, _t3);
            Mul(_t6, _t3, _t3);
            Mul(_t5, _t7, _t5);
            Sub(_t3, _t5, y3);           // Y3 = R·(V - X3) - S1·HHH
        }

        // r = a^(p-2) = a^-1 (Fermat), Montgomery form in and out.
        private void Invert(uint[] a, uint[] r)
        {
            Array.Copy(a, _t8, _l);
            Array.Copy(_one, r, _l);
            for (int i = _l - 1; i >= 0; i--)
            {
                uint e = _pMinus2[i];
                for (int bit = 31; bit >= 0; bit--)
                {
                    Mul(r, r, r);
                    if (((e >> bit) & 1) != 0)
                    {
                        Mul(r, _t8, r);
                    }
                }
            }
        }

        // r = a·b·R^-1 mod p (CIOS); r may be a or b.
        private void Mul(uint[] a, uint[] b, uint[] r)
        {
            _multiplications++;
            int l = _l;
            uint[] t = _t;
            uint[] p = _p;
            Array.Clear(t, 0, l + 2);
            for (int i = 0; i < l; i++)
            {
                ulong c = 0;
                ulong bi = b[i];
                for (int j = 0; j < l; j++)
                {
                    c += t[j] + a[j] * bi;
                    t[j] = (uint)c;
                    c >>= 32;
                }
                c += t[l];
                t[l] = (uint)c;
                t[l + 1] = (uint)(c >> 32);

                uint m = t[0] * _n0;
                c = (t[0] + (ulong)m * p[0]) >> 32;
                for (int j = 1; j < l; j++)
                {
                    c += t[j] + (ulong)m * p[j];
                    t[j - 1] = (uint)c;
                    c >>= 32;
                }
                c += t[l];
                t[l - 1] = (uint)c;
                t[l] = t[l + 1] + (uint)(c >> 32);
            }
            if (t[l] != 0 || Compare(t, p) >= 0)
            {
                long borrow = 0;
                for (int j = 0; j < l; j++)
                {
                    long d = (long)t[j] - p[j] + borrow;
                    r[j] = (uint)d;
                    borrow = d >> 32;
                }
            }
            else
            {
                Array.Copy(t, r, l);
            }
        }

        // r = a + b mod p, for a, b < p.
        private void Add(uint[] a, uint[] b, uint[] r)
        {
            ulong c = 0;
            for (int j = 0; j < _l; j++)
            {
                c += (ulong)a[j] + b[j];
                r[j] = (uint)c;
                c >>= 32;
            }
            if (c != 0 || Compare(r, _p) >= 0)
            {
                long borrow = 0;
                for (int j = 0; j < _l; j++)
                {
                    long d = (long)r[j] - _p[j] + borrow;
                    r[j] = (uint)d;
                    borrow = d >> 32;
                }
            }
        }

        // r = a - b mod p, for a, b < p.
        private void Sub(uint[] a, uint[] b, uint[] r)
        {
            long borrow = 0;
            for (int j = 0; j < _l; j++)
            {
                long d = (long)a[j] - b[j] + borrow;
                r[j] = (uint)d;
                borrow = d >> 32;
            }
            if (borrow != 0)
            {
                ulong c = 0;
                for (int j = 0; j < _l; j++)
                {
                    c += (ulong)r[j] + _p[j];
                    r[j] = (uint)c;
                    c >>= 32;
                }
            }
        }

        private static void SubtractSmall(uint[] a, uint v)
        {
            long borrow = -(long)v;
            for (int j = 0; j < a.Length && borrow != 0; j++)
            {
                long d = (long)a[j] + borrow;
                a[j] = (uint)d;
                borrow = d >> 32;
            }
        }

        // Compares the low l limbs of a with b.
        private int Compare(uint[] a, uint[] b)
        {
            for (int j = _l - 1; j >= 0; j--)
            {
                if (a[j] != b[j])
                {
                    return a[j] < b[j] ? -1 : 1;
                }
            }
            return 0;
        }

        private int CompareBytes(byte[] a, int offset, byte[] b)
        {
            for (int i = 0; i < _len; i++)
            {
                if (a[offset + i] != b[i])
                {
                    return a[offset + i] < b[i] ? -1 : 1;
                }
            }
            return 0;
        }

        private bool IsZero(uint[] a)
        {
            uint acc = 0;
            for (int j = 0; j < _l; j++)
            {
                acc |= a[j];
            }
            return acc == 0;
        }

        private void FromBytes(byte[] b, int offset, uint[] r)
        {
            for (int j = 0; j < _l; j++)
            {
                int at = offset + _len - 4 * j - 4;
                r[j] = ((uint)b[at] << 24) | ((uint)b[at + 1] << 16) | ((uint)b[at + 2] << 8) | b[at + 3];
            }
        }

        private void ToBytes(uint[] a, byte[] b, int offset)
        {
            for (int j = 0; j < _l; j++)
            {
                int at = offset + _len - 4 * j - 4;
                b[at] = (byte)(a[j] >> 24);
                b[at + 1] = (byte)(a[j] >> 16);
                b[at + 2] = (byte)(a[j] >> 8);
                b[at + 3] = (byte)a[j];
            }
        }
    }
}
