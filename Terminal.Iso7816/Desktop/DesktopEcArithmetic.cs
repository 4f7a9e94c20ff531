using System;
using System.Numerics;
using System.Security.Cryptography;
using Terminal.Iso7816.Crypto;

namespace Terminal.Iso7816.Desktop
{
    /// <summary>
    /// <see cref="IEcArithmetic"/> on .NET's ECDiffieHellman (OpenSSL): k·P is the public key of private key k on an
    /// explicit curve whose generator is P; the one point addition of the generic mapping (k·G + H) is done in affine
    /// coordinates with System.Numerics.BigInteger, since .NET has no point-addition API.
    /// </summary>
    public sealed class DesktopEcArithmetic : IEcArithmetic
    {
        private readonly EcCurve _curve;
        private readonly int _len;
        private readonly byte[] _pBytes;
        private readonly byte[] _aBytes;
        private readonly byte[] _bBytes;
        private readonly byte[] _nBytes;
        private readonly BigInteger _p;
        private readonly BigInteger _a;
        private readonly BigInteger _b;
        private readonly BigInteger _n;

        /// <summary>Arithmetic on <paramref name="curve"/>.</summary>
        public DesktopEcArithmetic(EcCurve curve)
        {
            _curve = curve;
            _len = curve.FieldLength;
            _pBytes = new byte[_len];
            _aBytes = new byte[_len];
            _bBytes = new byte[_len];
            _nBytes = new byte[_len];
            curve.GetPrime(_pBytes, 0);
            curve.GetA(_aBytes, 0);
            curve.GetB(_bBytes, 0);
            curve.GetOrder(_nBytes, 0);
            _p = ToInteger(_pBytes, 0, _len);
            _a = ToInteger(_aBytes, 0, _len);
            _b = ToInteger(_bBytes, 0, _len);
            _n = ToInteger(_nBytes, 0, _len);
        }

        /// <inheritdoc />
        public EcCurve Curve => _curve;

        /// <inheritdoc />
        public bool IsOnCurve(byte[] point, int offset)
        {
            if (point[offset] != 0x04)
            {
                return false;
            }
            BigInteger x = ToInteger(point, offset + 1, _len);
            BigInteger y = ToInteger(point, offset + 1 + _len, _len);
            if (x >= _p || y >= _p)
            {
                return false;
            }
            return Mod(y * y - (x * x * x + _a * x + _b)) == 0;
        }

        /// <inheritdoc />
        public bool Multiply(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset, byte[] result, int resultOffset)
        {
            if (!IsOnCurve(point, pointOffset))
            {
                return false;
            }
            BigInteger k = ToInteger(scalar, scalarOffset, scalarLength) % _n;
            if (k.IsZero)
            {
                return false;
            }
            ECCurve curve = new ECCurve
            {
                CurveType = ECCurve.ECCurveType.PrimeShortWeierstrass,
                Prime = _pBytes,
                A = _aBytes,
                B = _bBytes,
                G = new ECPoint
                {
                    X = point.AsSpan(pointOffset + 1, _len).ToArray(),
                    Y = point.AsSpan(pointOffset + 1 + _len, _len).ToArray(),
                },
                Order = _nBytes,
                Cofactor = new byte[] { 1 },
            };
            byte[] d = ToBytes(k);
            try
            {
                using ECDiffieHellman ecdh = ECDiffieHellman.Create();
                ecdh.ImportParameters(new ECParameters { Curve = curve, D = d });
                ECParameters exported = ecdh.ExportParameters(false);
                result[resultOffset] = 0x04;
                exported.Q.X!.CopyTo(result, resultOffset + 1);
                exported.Q.Y!.CopyTo(result, resultOffset + 1 + _len);
                return true;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(d);
            }
        }

        /// <inheritdoc />
        public bool MultiplyAdd(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset,
            byte[] addend, int addendOffset, byte[] result, int resultOffset)
        {
            if (!IsOnCurve(addend, addendOffset))
            {
                return false;
            }
            if (!IsOnCurve(point, pointOffset))
            {
                return false;
            }
            if ((ToInteger(scalar, scalarOffset, scalarLength) % _n).IsZero)
            {
                // 0·P + Q = Q, as the managed implementation computes it.
                Array.Copy(addend, addendOffset, result, resultOffset, 1 + 2 * _len);
                return true;
            }
            byte[] kp = new byte[1 + 2 * _len];
            if (!Multiply(scalar, scalarOffset, scalarLength, point, pointOffset, kp, 0))
            {
                return false;
            }
            BigInteger x1 = ToInteger(kp, 1, _len);
            BigInteger y1 = ToInteger(kp, 1 + _len, _len);
            BigInteger x2 = ToInteger(addend, addendOffset + 1, _len);
            BigInteger y2 = ToInteger(addend, addendOffset + 1 + _len, _len);
            BigInteger lambda;
            if (x1 == x2)
            {
                if (Mod(y1 + y2) == 0)
                {
                    return false; // P + (-P) = O
                }
                lambda = Mod((3 * x1 * x1 + _a) * Inverse(2 * y1));
            }
            else
            {
                lambda = Mod((y2 - y1) * Inverse(x2 - x1));
            }
            BigInteger x3 = Mod(lambda * lambda - x1 - x2);
            BigInteger y3 = Mod(lambda * (x1 - x3) - y1);
            result[resultOffset] = 0x04;
            ToBytes(x3).CopyTo(result, resultOffset + 1);
            ToBytes(y3).CopyTo(result, resultOffset + 1 + _len);
            return true;
        }

        /// <inheritdoc />
        public void RandomScalar(byte[] output, int offset)
        {
            while (true)
            {
                RandomNumberGenerator.Fill(output.AsSpan(offset, _len));
                BigInteger k = ToInteger(output, offset, _len);
                if (!k.IsZero && k < _n)
                {
                    return;
                }
            }
        }

        private BigInteger Mod(BigInteger v)
        {
            BigInteger r = v % _p;
            return r.Sign < 0 ? r + _p : r;
        }

        private BigInteger Inverse(BigInteger v) => BigInteger.ModPow(Mod(v), _p - 2, _p);

        private static BigInteger ToInteger(byte[] b, int offset, int length) =>
            new BigInteger(b.AsSpan(offset, length), isUnsigned: true, isBigEndian: true);

        private byte[] ToBytes(BigInteger v)
        {
            byte[] r = new byte[_len];
            int size = v.GetByteCount(isUnsigned: true);
            v.TryWriteBytes(r.AsSpan(_len - size), out _, isUnsigned: true, isBigEndian: true);
            return r;
        }
    }

    /// <summary>Random bytes from the operating system (RandomNumberGenerator).</summary>
    public sealed class DesktopRandomSource : IRandomSource
    {
        /// <summary>One shared instance; the source has no state.</summary>
        public static readonly DesktopRandomSource Instance = new DesktopRandomSource();

        /// <inheritdoc />
        public void GetBytes(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
    }
}
