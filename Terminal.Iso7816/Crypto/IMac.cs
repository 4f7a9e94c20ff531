namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// An incremental message authentication code over caller buffers: <see cref="Update"/> any number of
    /// times, then <see cref="Finish"/>, which writes the tag and starts over. Nothing is allocated per call.
    /// </summary>
    public interface IMac
    {
        /// <summary>Block size of the underlying cipher (8 for the retail MAC, 16 for AES-CMAC).</summary>
        int BlockSize { get; }

        /// <summary>Length of the full tag <see cref="Finish"/> writes (8 for the retail MAC, 16 for AES-CMAC).</summary>
        int MacLength { get; }

        /// <summary>Forgets any data given since the last <see cref="Finish"/>.</summary>
        void Reset();

        /// <summary>Adds <paramref name="count"/> bytes to the message.</summary>
        void Update(byte[] input, int offset, int count);

        /// <summary>Writes the tag (<see cref="MacLength"/> bytes) and resets.</summary>
        void Finish(byte[] output, int outputOffset);

        /// <summary>Wipes the keys and the state; the MAC must not be used afterwards.</summary>
        void Clear();
    }
}
