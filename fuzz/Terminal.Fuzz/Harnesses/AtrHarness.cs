using System;
using Terminal.Iso7816;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// The ATR: <see cref="Atr.Parse"/> on the input as given, then <see cref="AtrReader.ColdReset"/>
    /// with the input as the card's characters (the reader's own framing of the ATR: TS, the TDi chain,
    /// historical bytes, TCK, the inverse convention, timeouts). Checks: a defined <see cref="AtrError"/>;
    /// every derived field in its documented range; a usable ATR sets up <see cref="Timing"/>,
    /// <see cref="SpeedPolicy"/> and <see cref="T1Protocol"/> without error; the reader returns an
    /// ATR length or a documented <see cref="TransmissionError"/>, and the ATR it returns is the one
    /// the card sent.
    /// </summary>
    public sealed class AtrHarness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "atr";

        /// <inheritdoc/>
        public override string Description => "ATR bytes: Atr.Parse, then AtrReader.ColdReset reading them from a card line";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            var atr = new Atr();
            AtrError parsed = atr.Parse(data, 0, data.Length);
            CheckAtr(atr, parsed, data, 0, data.Length);

            // The reader reads what the card sends on the line (the same bytes, and nothing more than the
            // structure announces).
            var line = new FuzzCardLine(data, 0, budget, escapes: false);
            var timing = new Timing();
            var reader = new AtrReader(line, timing);
            var read = new Atr();
            int r = reader.ColdReset(VoltageClass.A, read);
            Check(IsLengthOrTransmissionError(r, Atr.MaxLength), $"ColdReset returned {r}");
            if (r >= 0)
            {
                Check(r == read.Length, $"ColdReset returned {r} but the ATR has {read.Length} bytes");
                Check(r <= data.Length, $"ColdReset returned a {r}-byte ATR from {data.Length} card bytes");
                CheckAtr(read, read.LastError, null, 0, 0);
                Check(!Atr.IsFatal(read.LastError), $"ColdReset returned a length for an ATR with the structural error {read.LastError}");
                // Direct convention: the logical bytes are the card's bytes. TS 03 (inverse read as direct)
                // is stored as 3F; the rest is already logical for the engine (the line transforms).
                for (int i = 1; i < r; i++)
                {
                    Check(read.Bytes[i] == data[i], $"ATR byte {i} is {read.Bytes[i]:X2}, the card sent {data[i]:X2}");
                }
            }
            return r >= 0 ? $"parse {parsed}, read {r} bytes {read.LastError}" : $"parse {parsed}, read {TransmissionError.Name(r)}";
        }

        private static void CheckAtr(Atr atr, AtrError error, byte[]? source, int offset, int length)
        {
            Check(Enum.IsDefined(typeof(AtrError), error), $"undefined AtrError {(int)error}");
            Check(atr.LastError == error, $"LastError {atr.LastError} differs from the result {error}");
            Check(atr.Length >= 0 && atr.Length <= Atr.MaxLength, $"ATR length {atr.Length}");
            if (error == AtrError.Empty || error == AtrError.BadTs)
            {
                return;
            }
            if (source != null)
            {
                for (int i = 0; i < atr.Length; i++)
                {
                    byte expected = i == 0 ? source[offset] : source[offset + i];
                    Check(atr.Bytes[i] == expected, $"Bytes[{i}] = {atr.Bytes[i]:X2}, input {expected:X2}");
                }
            }
            Check(atr.Convention == (atr.Bytes[0] == 0x3F ? Convention.Inverse : Convention.Direct), $"convention {atr.Convention} for TS {atr.Bytes[0]:X2}");
            if (Atr.IsFatal(error))
            {
                Check(!atr.IsUsable, $"an ATR with {error} is usable");
                return;
            }
            Check(atr.IsUsable, $"an ATR with only {error} is not usable");
            Check(atr.HistoricalLength >= 0 && atr.HistoricalLength <= 15, $"{atr.HistoricalLength} historical bytes");
            Check(atr.HistoricalOffset >= 2 && atr.HistoricalOffset + atr.HistoricalLength <= atr.Length, $"historical bytes at {atr.HistoricalOffset}+{atr.HistoricalLength} of {atr.Length}");
            Check(atr.FiIndex >= 0 && atr.FiIndex <= 15 && atr.DiIndex >= 0 && atr.DiIndex <= 15, $"TA1 indices {atr.FiIndex}/{atr.DiIndex}");
            Check(atr.Fi == RateTables.Fi(atr.FiIndex) && atr.Di == RateTables.Di(atr.DiIndex), $"Fi {atr.Fi} Di {atr.Di} for indices {atr.FiIndex}/{atr.DiIndex}");
            Check(atr.FmaxKhz == RateTables.FmaxKhz(atr.FiIndex), $"fmax {atr.FmaxKhz} for Fi index {atr.FiIndex}");
            Check(atr.N >= 0 && atr.N <= 255, $"N {atr.N}");
            Check(atr.ProtocolCount >= 0 && atr.ProtocolCount <= 15, $"{atr.ProtocolCount} protocols");
            int mask = 0;
            for (int i = 0; i < atr.ProtocolCount; i++)
            {
                int t = atr.GetProtocol(i);
                Check(t >= 0 && t <= 14, $"protocol {t} at {i}");
                Check((mask & (1 << t)) == 0, $"protocol {t} listed twice");
                mask |= 1 << t;
                Check(atr.Offers(t), $"protocol {t} listed but not offered");
            }
            // No TD1: the implicit T=0 (mask 1, empty list); TD1 indicating only T=15 (RfuProtocol): nothing.
            Check(atr.ProtocolMask == mask || (atr.ProtocolCount == 0 && atr.ProtocolMask == 1), $"protocol mask {atr.ProtocolMask:X} for the list {mask:X}");
            // The TA2 protocol in specific mode may be any nibble (15 included); the session refuses what it cannot run.
            Check(atr.DefaultProtocol >= 0 && atr.DefaultProtocol <= 15, $"default protocol {atr.DefaultProtocol}");
            Check(atr.SpecificMode || atr.DefaultProtocol == (atr.ProtocolCount > 0 ? atr.GetProtocol(0) : 0), $"default protocol {atr.DefaultProtocol} is not the first offered");
            Check(atr.WI >= 0 && atr.WI <= 255, $"WI {atr.WI}");
            Check(atr.Ifsc >= 0 && atr.Ifsc <= 254, $"IFSC {atr.Ifsc}");
            Check(atr.Cwi >= 0 && atr.Cwi <= 15, $"CWI {atr.Cwi}");
            Check(atr.Bwi >= -1 && atr.Bwi <= 9, $"BWI {atr.Bwi}");
            Check(Enum.IsDefined(typeof(ClockStop), atr.ClockStop), $"clock stop {(int)atr.ClockStop}");
            Check(Enum.IsDefined(typeof(TckStatus), atr.Tck), $"TCK status {(int)atr.Tck}");
            Check((atr.ClassMask & ~0x3F) == 0, $"class mask {atr.ClassMask:X}");

            // What the session does with a usable ATR: timing, rate choice, T=1 parameters.
            var timing = new Timing();
            timing.Reset(4_000_000);
            timing.SetFromAtr(atr);
            Check(timing.WwtCycles > 0 && timing.CwtCycles > 0 && timing.BwtCycles > 0, $"non-positive waiting times WWT {timing.WwtCycles} CWT {timing.CwtCycles} BWT {timing.BwtCycles}");
            int protocol = atr.DefaultProtocol == 0 || atr.DefaultProtocol == 1 ? atr.DefaultProtocol : (atr.Offers(0) ? 0 : 1);
            if (SpeedPolicy.Choose(atr, 4_000_000, 500_000, out int fiIndex, out int diIndex))
            {
                Check(RateTables.Fi(fiIndex) > 0 && RateTables.Di(diIndex) > 0, $"SpeedPolicy chose RFU indices {fiIndex}/{diIndex}");
                Check(SpeedPolicy.BitRate(4_000_000, RateTables.Fi(fiIndex), RateTables.Di(diIndex)) <= 500_000, "SpeedPolicy chose a rate above the board's maximum");
                var request = new byte[Pps.MaxLength];
                int n = Pps.BuildRequest(protocol, fiIndex, diIndex, request, 0);
                Check(n >= 3 && n <= Pps.MaxLength, $"PPS request of {n} bytes");
                Check(Pps.CheckResponse(request, 0, n, request, 0, n) == Pps.AcceptedNewRate, "the echo of our own PPS request is not accepted");
            }
            var t1 = new T1Protocol(new FuzzCardLine(Array.Empty<byte>(), 0, new Budget(100), false), timing);
            t1.Reset(atr);
            Check(t1.Ifsc >= 1 && t1.Ifsc <= 254, $"T=1 IFSC {t1.Ifsc} after Reset(atr)");
        }
    }
}
