namespace Terminal.Iso7816.Crypto
{
    /// <summary>Cryptographically strong random bytes: ephemeral PACE keys come from here. The desktop uses
    /// RandomNumberGenerator; a device must use its hardware generator (System.Random is not enough).</summary>
    public interface IRandomSource
    {
        /// <summary>Fills <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        void GetBytes(byte[] buffer, int offset, int count);
    }
}
