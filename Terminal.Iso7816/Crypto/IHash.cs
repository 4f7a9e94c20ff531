namespace Terminal.Iso7816.Crypto
{
    /// <summary>An incremental hash over caller buffers (<see cref="Sha1"/>, <see cref="Sha256"/>): any number of
    /// <see cref="Update"/>, then <see cref="Finish"/>, which writes the digest and starts over.</summary>
    public interface IHash
    {
        /// <summary>Digest length in bytes.</summary>
        int HashLength { get; }

        /// <summary>Forgets the data given since the last <see cref="Finish"/>.</summary>
        void Reset();

        /// <summary>Adds <paramref name="count"/> bytes.</summary>
        void Update(byte[] input, int offset, int count);

        /// <summary>Writes the digest (<see cref="HashLength"/> bytes) and resets.</summary>
        void Finish(byte[] output, int outputOffset);
    }
}
