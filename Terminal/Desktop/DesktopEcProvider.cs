using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Pace;

namespace Terminal.Desktop
{
    /// <summary>The desktop and Linux board's elliptic-curve arithmetic for PACE: .NET's ECDiffieHellman plus point addition.</summary>
    public sealed class DesktopEcProvider : IEcProvider
    {
        /// <inheritdoc/>
        public IEcArithmetic Create(EcCurve curve) => new DesktopEcArithmetic(curve);
    }
}
