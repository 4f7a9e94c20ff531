using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Terminal.Iso7816;

namespace Terminal.Tests.Properties
{
    /// <summary>
    /// Properties of the ISO/IEC 7816 codecs: for arbitrary bytes a parser returns its documented error
    /// and never throws; what the encoder builds, the parser reads back unchanged.
    /// </summary>
    public class Iso7816Properties
    {
        private const int Cases = 2000;

        /// <summary>ISO/IEC 7816-3 §8: any byte string, the ATR parser answers with an AtrError and no exception.</summary>
        [Property(MaxTest = Cases)]
        public bool Atr_ArbitraryBytes_ParseNeverThrows(byte[] bytes)
        {
            Atr atr = new Atr();
            AtrError e = atr.Parse(bytes, 0, bytes.Length);
            return Enum.IsDefined(e) && (e != AtrError.None || atr.Length == bytes.Length);
        }

        /// <summary>An ATR built from a random structure (§8.2) parses back: convention, historical bytes, protocols, TCK.</summary>
        [Property(MaxTest = Cases)]
        public Property Atr_WellFormed_ParsesBackItsStructure()
        {
            return Prop.ForAll(AtrGen.ToArbitrary(), sample =>
            {
                Atr atr = new Atr();
                AtrError e = atr.Parse(sample.Bytes, 0, sample.Bytes.Length);
                bool structural = !Atr.IsFatal(e);
                return (structural
                        && atr.Convention == sample.Convention
                        && atr.HistoricalLength == sample.HistoricalLength
                        && atr.Tck == (sample.HasTck ? TckStatus.Correct : TckStatus.Absent))
                    .Label($"ATR {Convert.ToHexString(sample.Bytes)}: {e}, historical {atr.HistoricalLength}, tck {atr.Tck}");
            });
        }

        /// <summary>ISO/IEC 7816-4 §5.1: any byte string, the command APDU parser never throws.</summary>
        [Property(MaxTest = Cases)]
        public bool CommandApdu_ArbitraryBytes_ParseNeverThrows(byte[] bytes)
        {
            CommandApdu apdu = new CommandApdu();
            ApduError e = apdu.Parse(bytes, 0, bytes.Length);
            return Enum.IsDefined(e);
        }

        /// <summary>ISO/IEC 7816-4 §5.1: encode then parse is the identity, short and extended, cases 1 to 4.</summary>
        [Property(MaxTest = Cases)]
        public Property CommandApdu_EncodeThenParse_IsIdentity()
        {
            Gen<(byte cla, byte ins, byte p1, byte p2, int nc, int ne, bool extended)> gen =
                from cla in ArbMap.Default.GeneratorFor<byte>()
                from ins in ArbMap.Default.GeneratorFor<byte>()
                from p1 in ArbMap.Default.GeneratorFor<byte>()
                from p2 in ArbMap.Default.GeneratorFor<byte>()
                from extended in ArbMap.Default.GeneratorFor<bool>()
                from nc in Gen.Choose(0, extended ? 1000 : 255)
                from ne in Gen.Choose(0, extended ? 65536 : 256)
                select (cla, ins, p1, p2, nc, ne, extended);
            return Prop.ForAll(gen.ToArbitrary(), c =>
            {
                byte[] data = new byte[c.nc];
                new Random(c.nc * 31 + c.ne).NextBytes(data);
                byte[] buffer = new byte[c.nc + 10];
                int length = CommandApdu.Encode(c.cla, c.ins, c.p1, c.p2, data, 0, c.nc, c.ne, c.extended, buffer, 0);
                CommandApdu apdu = new CommandApdu();
                ApduError e = apdu.Parse(buffer, 0, length);
                bool same = length > 0 && e == ApduError.None && apdu.Cla == c.cla && apdu.Ins == c.ins && apdu.P1 == c.p1 && apdu.P2 == c.p2
                    && apdu.Nc == c.nc && apdu.Ne == c.ne
                    && buffer.AsSpan(apdu.DataOffset, apdu.Nc).SequenceEqual(data);
                return same.Label($"{c}: length {length}, {e}, Nc {apdu.Nc}, Ne {apdu.Ne}");
            });
        }

        /// <summary>ISO/IEC 7816-3 §11.3: an encoded block is valid; any single flipped bit makes it invalid (LRC and CRC).</summary>
        [Property(MaxTest = Cases)]
        public Property T1Block_EncodedIsValid_AnySingleBitErrorIsDetected()
        {
            Gen<(byte nad, byte pcb, byte[] inf, bool crc, int flip)> gen =
                from nad in ArbMap.Default.GeneratorFor<byte>()
                from pcb in ArbMap.Default.GeneratorFor<byte>()
                from length in Gen.Choose(0, 254)
                from inf in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
                from crc in ArbMap.Default.GeneratorFor<bool>()
                from flip in Gen.Choose(0, int.MaxValue)
                select (nad, pcb, inf, crc, flip);
            return Prop.ForAll(gen.ToArbitrary(), c =>
            {
                byte[] block = new byte[3 + c.inf.Length + 2];
                int length = T1Block.Encode(c.nad, c.pcb, c.inf, 0, c.inf.Length, c.crc, block, 0);
                bool valid = length == 3 + c.inf.Length + T1Block.EdcLength(c.crc) && T1Block.IsValid(block, 0, length, c.crc);
                int bit = c.flip % (length * 8);
                block[bit / 8] ^= (byte)(1 << (bit % 8));
                bool detected = !T1Block.IsValid(block, 0, length, c.crc);
                return (valid && detected).Label($"valid {valid}, flip of bit {bit} detected {detected}");
            });
        }

        internal sealed record AtrSample(byte[] Bytes, Convention Convention, int HistoricalLength, bool HasTck);

        /// <summary>Random but well-formed ATRs: TS, T0, a TD chain of up to 4 levels, K historical bytes, TCK when needed.</summary>
        private static Gen<AtrSample> AtrGen =>
            from inverse in ArbMap.Default.GeneratorFor<bool>()
            from levels in Gen.Choose(0, 4)
            from seed in ArbMap.Default.GeneratorFor<int>()
            from k in Gen.Choose(0, 15)
            select Build(inverse, levels, seed, k);

        private static AtrSample Build(bool inverse, int levels, int seed, int k)
        {
            Random random = new Random(seed);
            byte[] b = new byte[40];
            int n = 0;
            b[n++] = inverse ? (byte)0x3F : (byte)0x3B;
            int t0At = n++;
            bool anyNonZeroProtocol = false;
            int y = random.Next(16) & 0x7; // TA1, TB1, TC1 presence; TD1 decided below
            if (levels > 0)
            {
                y |= 0x8;
            }
            b[t0At] = (byte)((y << 4) | k);
            for (int level = 1; ; level++)
            {
                if ((y & 1) != 0) { b[n++] = level == 1 ? (byte)0x11 : (byte)random.Next(1, 255); }
                if ((y & 2) != 0) { b[n++] = (byte)random.Next(0, 10); }
                if ((y & 4) != 0) { b[n++] = (byte)random.Next(1, 255); }
                if ((y & 8) == 0)
                {
                    break;
                }
                int protocol = random.Next(2); // T=0 or T=1
                anyNonZeroProtocol |= protocol != 0;
                int next = random.Next(8);
                if (level < levels)
                {
                    next |= 0x8;
                }
                b[n++] = (byte)((next << 4) | protocol);
                y = next;
            }
            k = Math.Min(k, 33 - n - 1); // ISO/IEC 7816-3 §8.2.1: at most 32 characters after TS
            b[t0At] = (byte)((b[t0At] & 0xF0) | k);
            for (int i = 0; i < k; i++)
            {
                b[n++] = (byte)random.Next(256);
            }
            if (anyNonZeroProtocol)
            {
                byte tck = 0;
                for (int i = 1; i < n; i++)
                {
                    tck ^= b[i];
                }
                b[n++] = tck;
            }
            return new AtrSample(b.AsSpan(0, n).ToArray(), inverse ? Convention.Inverse : Convention.Direct, k, anyNonZeroProtocol);
        }
    }
}
