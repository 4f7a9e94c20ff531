using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// What SHA-1 and SHA-256 share (FIPS 180-4 §5): 64-byte blocks, the 0x80 / length padding, a
    /// state of big-endian 32-bit words. A subclass gives the initial state and the compression.
    /// </summary>
    public abstract class BlockHash : IHash
    {
        /// <summary>The chaining state H; <see cref="HashLength"/> / 4 words.</summary>
        protected readonly uint[] State;

        /// <summary>The message schedule W, wiped after each hash.</summary>
        protected readonly uint[] Schedule;

        /// <summary>The block being filled, compressed when full.</summary>
        protected readonly byte[] Block = new byte[64];

        private int _blockCount;
        private long _total;

        /// <summary>A hash of <paramref name="stateWords"/> words with a schedule of <paramref name="scheduleWords"/>.</summary>
        protected BlockHash(int stateWords, int scheduleWords)
        {
            State = new uint[stateWords];
            Schedule = new uint[scheduleWords];
        }

        /// <inheritdoc />
        public int HashLength
        {
            get { return 4 * State.Length; }
        }

        /// <summary>Sets <see cref="State"/> to the algorithm's initial hash value.</summary>
        protected abstract void InitialState();

        /// <summary>Compresses <see cref="Block"/> into <see cref="State"/>.</summary>
        protected abstract void Compress();

        /// <summary>Loads the first 16 words of the schedule from the block (big-endian).</summary>
        protected void LoadBlockWords()
        {
            for (int i = 0; i < 16; i++)
            {
                Schedule[i] = ((uint)Block[4 * i] << 24) | ((uint)Block[4 * i + 1] << 16) | ((uint)Block[4 * i + 2] << 8) | Block[4 * i + 3];
            }
        }

        /// <inheritdoc />
        public void Reset()
        {
            InitialState();
            _blockCount = 0;
            _total = 0;
            Array.Clear(Block, 0, 64);
        }

        /// <inheritdoc />
        public void Update(byte[] input, int offset, int count)
        {
            _total += count;
            while (count > 0)
            {
                int take = 64 - _blockCount;
                if (take > count)
                {
                    take = count;
                }
                Array.Copy(input, offset, Block, _blockCount, take);
                _blockCount += take;
                offset += take;
                count -= take;
                if (_blockCount == 64)
                {
                    Compress();
                    _blockCount = 0;
                }
            }
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int outputOffset)
        {
            long bits = _total * 8;
            Block[_blockCount++] = 0x80;
            if (_blockCount > 56)
            {
                Array.Clear(Block, _blockCount, 64 - _blockCount);
                Compress();
                _blockCount = 0;
            }
            Array.Clear(Block, _blockCount, 56 - _blockCount);
            for (int i = 0; i < 8; i++)
            {
                Block[63 - i] = (byte)(bits >> (8 * i));
            }
            Compress();
            for (int i = 0; i < State.Length; i++)
            {
                output[outputOffset + 4 * i] = (byte)(State[i] >> 24);
                output[outputOffset + 4 * i + 1] = (byte)(State[i] >> 16);
                output[outputOffset + 4 * i + 2] = (byte)(State[i] >> 8);
                output[outputOffset + 4 * i + 3] = (byte)State[i];
            }
            Array.Clear(Schedule, 0, Schedule.Length);
            Reset();
        }
    }
}
