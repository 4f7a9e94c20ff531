using System;
using BenchmarkDotNet.Attributes;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;
using Terminal.Simulator;
using Terminal.Simulator.Pace;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// One whole PACE-ECDH-GM-AES-128 run with the PIN, per curve: the reader's <see cref="PaceReader"/>
    /// (MSE:Set AT, four General Authenticate) against the simulator's PACE card application, called at
    /// APDU level (no line time: on the card line the run's time is virtual and set by the ETU). The
    /// figure includes the card's side (.NET BigInteger affine arithmetic) and the reader's, on the
    /// managed reference arithmetic (what nanoFramework runs) or on .NET's ECDiffieHellman.
    /// </summary>
    [MemoryDiagnoser]
    public class PaceRunBenchmarks
    {
        private static readonly byte[] Pin = { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36 };

        private PaceReader _reader = null!;
        private IEcArithmetic _ec = null!;

        /// <summary>Curve.</summary>
        [Params("brainpoolP256r1", "P-256", "brainpoolP384r1")]
        public string Curve { get; set; } = "brainpoolP256r1";

        /// <summary>The reader's arithmetic.</summary>
        [Params("managed", "desktop")]
        public string Arithmetic { get; set; } = "managed";

        [GlobalSetup]
        public void Setup()
        {
            EcCurve curve = PaceBenchmarks.CurveNamed(Curve);
            int parameterId = Curve == "P-256" ? 12 : Curve == "brainpoolP256r1" ? 13 : 16;
            PaceCardApplication card = new PaceCardApplication(new PaceCardSettings { ParameterId = parameterId, KeyLength = 16, Pin = "123456" });
            _ec = PaceBenchmarks.ArithmeticFor(curve, Arithmetic);
            _reader = new PaceReader(new CardApplicationChannel(card), Arithmetic == "managed" ? ManagedCipherFactory.Instance : DesktopCipherFactory.Instance);
        }

        /// <summary>PACE with the PIN, reader and simulated card, to the open secure channel.</summary>
        [Benchmark]
        public int WholePaceAgainstTheSimulatedCard()
        {
            int r = _reader.Establish(PaceAlgorithm.EcdhGmAes128, _ec, PaceReader.PasswordPin, Pin, 0, Pin.Length, null, 0, 0);
            if (r != PaceResult.Success)
            {
                throw new InvalidOperationException("PACE failed: " + r);
            }
            return r;
        }

        /// <summary>The simulated card's application as the reader's APDU channel.</summary>
        private sealed class CardApplicationChannel : IApduChannel
        {
            private readonly PaceCardApplication _card;

            public CardApplicationChannel(PaceCardApplication card)
            {
                _card = card;
            }

            public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
            {
                ApduCommand? c = ApduCommand.Parse(command, offset, length);
                if (c == null)
                {
                    return -1;
                }
                byte[] r = _card.Process(c).ToBytes();
                if (r.Length > response.Length - responseOffset)
                {
                    return -1;
                }
                Array.Copy(r, 0, response, responseOffset, r.Length);
                return r.Length;
            }
        }
    }
}
