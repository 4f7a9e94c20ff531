using System;
using BenchmarkDotNet.Attributes;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// PACE-GM cost on the desktop per curve: one scalar multiplication, and the reader's whole cryptographic share
    /// of one PACE run (K_pi, nonce, mapping key pair, H, G' = s·G + H, DH key pair, K, session keys, both tokens:
    /// five scalar multiplications), on the managed arithmetic (the portable reference) and on .NET's ECDiffieHellman.
    /// </summary>
    [MemoryDiagnoser]
    public class PaceBenchmarks
    {
        private PaceCrypto _pace = null!;
        private IEcArithmetic _ec = null!;
        private byte[] _g = Array.Empty<byte>();
        private byte[] _k = Array.Empty<byte>();
        private byte[] _skMap = Array.Empty<byte>();
        private byte[] _skDh = Array.Empty<byte>();
        private byte[] _pkMapIc = Array.Empty<byte>();
        private byte[] _pkDhIc = Array.Empty<byte>();
        private byte[] _point = Array.Empty<byte>();
        private byte[] _h = Array.Empty<byte>();
        private byte[] _mapped = Array.Empty<byte>();
        private byte[] _pkDhIfd = Array.Empty<byte>();
        private byte[] _secret = Array.Empty<byte>();
        private readonly byte[] _kPi = new byte[16];
        private readonly byte[] _z = Convert.FromHexString("95A3A016522EE98D01E76CB6B98B42C3");
        private readonly byte[] _s = new byte[16];
        private readonly byte[] _ksMac = new byte[16];
        private readonly byte[] _token = new byte[8];
        private readonly byte[] _pin = { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36 };

        /// <summary>Curve.</summary>
        [Params("brainpoolP256r1", "P-256", "brainpoolP384r1")]
        public string Curve { get; set; } = "brainpoolP256r1";

        /// <summary>Implementation of the arithmetic.</summary>
        [Params("managed", "desktop")]
        public string Arithmetic { get; set; } = "managed";

        /// <summary>The curve of a <see cref="Curve"/> parameter value.</summary>
        internal static EcCurve CurveNamed(string name) =>
            name == "P-256" ? EcCurve.NistP256 : name == "brainpoolP256r1" ? EcCurve.BrainpoolP256r1 : EcCurve.BrainpoolP384r1;

        /// <summary>The arithmetic of an <see cref="Arithmetic"/> parameter value ("managed" or "desktop").</summary>
        internal static IEcArithmetic ArithmeticFor(EcCurve curve, string kind) =>
            kind == "managed" ? new ManagedEcArithmetic(curve, DesktopRandomSource.Instance) : new DesktopEcArithmetic(curve);

        [GlobalSetup]
        public void Setup()
        {
            EcCurve curve = CurveNamed(Curve);
            _ec = ArithmeticFor(curve, Arithmetic);
            _pace = new PaceCrypto(PaceAlgorithm.EcdhGmAes128, _ec, Arithmetic == "managed" ? ManagedCipherFactory.Instance : DesktopCipherFactory.Instance);
            int n = curve.FieldLength;
            int pl = curve.PointLength;
            _g = new byte[pl];
            curve.GetGenerator(_g, 0);
            _k = new byte[n];
            _skMap = new byte[n];
            _skDh = new byte[n];
            _ec.RandomScalar(_k, 0);
            _ec.RandomScalar(_skMap, 0);
            _ec.RandomScalar(_skDh, 0);
            _point = new byte[pl];
            _h = new byte[pl];
            _mapped = new byte[pl];
            _pkDhIfd = new byte[pl];
            _secret = new byte[n];

            // The card's keys, fixed for the whole run (its mapping key, then its DH key on the resulting G').
            ManagedEcArithmetic card = new ManagedEcArithmetic(curve, DesktopRandomSource.Instance);
            byte[] skIc = new byte[n];
            card.RandomScalar(skIc, 0);
            _pkMapIc = new byte[pl];
            card.Multiply(skIc, 0, n, _g, 0, _pkMapIc, 0);
            _pace.PasswordKey(_pin, 0, _pin.Length, _kPi, 0);
            _pace.DecryptNonce(_kPi, 0, _z, 0, 16, _s, 0);
            _pace.MapGenerator(_s, 0, 16, _skMap, 0, n, _pkMapIc, 0, _h, 0, _mapped, 0);
            card.RandomScalar(skIc, 0);
            _pkDhIc = new byte[pl];
            card.Multiply(skIc, 0, n, _mapped, 0, _pkDhIc, 0);
        }

        /// <summary>One k·G.</summary>
        [Benchmark]
        public bool ScalarMultiplication() => _ec.Multiply(_k, 0, _k.Length, _g, 0, _point, 0);

        /// <summary>The reader's cryptography for one PACE run.</summary>
        [Benchmark]
        public int ReaderSideOfOnePace()
        {
            int n = _skMap.Length;
            _pace.PasswordKey(_pin, 0, _pin.Length, _kPi, 0);
            _pace.DecryptNonce(_kPi, 0, _z, 0, 16, _s, 0);
            _pace.PublicKey(_skMap, 0, n, _g, 0, _point, 0);
            int r = _pace.MapGenerator(_s, 0, 16, _skMap, 0, n, _pkMapIc, 0, _h, 0, _mapped, 0);
            r |= _pace.PublicKey(_skDh, 0, n, _mapped, 0, _pkDhIfd, 0);
            r |= _pace.SharedSecret(_skDh, 0, n, _pkDhIfd, 0, _pkDhIc, 0, _secret, 0);
            _pace.DeriveKey(_secret, 0, n, PaceCrypto.CounterEnc, _ksMac, 0);
            _pace.DeriveKey(_secret, 0, n, PaceCrypto.CounterMac, _ksMac, 0);
            _pace.Token(_ksMac, 0, _pkDhIc, 0, _token, 0);
            _pace.Token(_ksMac, 0, _pkDhIfd, 0, _token, 0);
            if (r != 0)
            {
                throw new InvalidOperationException("PACE step failed: " + r);
            }
            return r;
        }
    }
}
