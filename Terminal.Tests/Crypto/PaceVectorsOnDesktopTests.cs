using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;
using Terminal.Tests.Device.Pace;
using Xunit;

namespace Terminal.Tests.Crypto
{
    /// <summary>The same step-by-step PACE vectors (ICAO 9303-11 G.1 = 0, BSI EAC v1.01 = 1) on the desktop
    /// implementation: ECDiffieHellman explicit curves + BigInteger point addition, System.Security.Cryptography AES.</summary>
    public class PaceVectorsOnDesktopTests
    {
        private static PaceCrypto Crypto() =>
            PaceVectorSteps.Crypto(new DesktopEcArithmetic(EcCurve.BrainpoolP256r1), DesktopCipherFactory.Instance);

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void AllSteps(int set)
        {
            PaceVectorSet v = PaceVectorSet.Get(set);
            PaceVectorSteps.PasswordKey(v, Crypto());
            PaceVectorSteps.NonceDecryption(v, Crypto());
            PaceVectorSteps.MappingKeys(v, Crypto());
            PaceVectorSteps.GenericMapping(v, Crypto());
            PaceVectorSteps.EphemeralKeys(v, Crypto());
            PaceVectorSteps.KeyAgreement(v, Crypto());
            PaceVectorSteps.SessionKeys(v, Crypto());
            PaceVectorSteps.AuthenticationTokens(v, Crypto());
            PaceVectorSteps.PeerPointChecks(v, Crypto());
        }
    }
}
