namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// The elliptic-curve operations PACE needs on one curve, over uncompressed points 04 || X || Y and big-endian
    /// scalars in caller buffers: k·P for any point P (key generation, Diffie-Hellman, H of the generic mapping),
    /// k·P + Q (G' = s·G + H), a random scalar, and the point-on-curve check every peer key must pass.
    /// </summary>
    /// <remarks>Implementations: <see cref="ManagedEcArithmetic"/> (portable reference, slow on the device),
    /// the desktop one on .NET's ECDiffieHellman, and a native one on the device (mbedTLS, through interop).</remarks>
    public interface IEcArithmetic
    {
        /// <summary>The curve.</summary>
        EcCurve Curve { get; }

        /// <summary>Whether <paramref name="point"/> at <paramref name="offset"/> is an uncompressed point with
        /// coordinates below p that satisfies the curve equation (so not the point at infinity).</summary>
        bool IsOnCurve(byte[] point, int offset);

        /// <summary>result = k·P. The scalar is <paramref name="scalarLength"/> big-endian bytes (any length).</summary>
        /// <returns>False, leaving result untouched, when P is not on the curve or k·P is the point at infinity.</returns>
        bool Multiply(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset, byte[] result, int resultOffset);

        /// <summary>result = k·P + Q.</summary>
        /// <returns>False when P or Q is not on the curve or the result is the point at infinity.</returns>
        bool MultiplyAdd(byte[] scalar, int scalarOffset, int scalarLength, byte[] point, int pointOffset,
            byte[] addend, int addendOffset, byte[] result, int resultOffset);

        /// <summary>Writes a uniformly random scalar 1 ≤ k &lt; n (<see cref="EcCurve.FieldLength"/> bytes).</summary>
        void RandomScalar(byte[] output, int offset);
    }
}
