using System;
using Terminal.Iso7816;
using Terminal.Simulator;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// The simulated cards at the byte level, as a reader that may send anything sees them: byte 0 picks
    /// the profile (bits 0-2), the voltage class (bits 3-4) and whether the engine negotiates PPS (bit 5);
    /// the engine activates the card (<see cref="CardSession.PowerOn"/>), then each record is sent to the
    /// card raw and its answer drained: a length byte and that many characters (T=0 headers and data, T=1
    /// blocks, PPS, garbage), or FF and an action byte (0 warm reset, 1 power cycle, 2 a line frame from
    /// the next byte's TA1 indices, 3 a pause of the next byte x 1000 cycles). Checks: no exception from
    /// the card, its line or its application; the line's results are characters, parity-flagged
    /// characters, Timeout or NoCard; the clock never goes back; the card never talks for ever.
    /// </summary>
    public sealed class SimulatorLineHarness : Harness
    {
        /// <summary>The profiles the first byte chooses from.</summary>
        public static readonly string[] Profiles = { "t1-generic", "t1-lrc", "vitale2", "vitale1", "cps3", "cps4" };

        private const int MaxDrain = 70_000;

        private static readonly Lazy<CardProfile[]> Loaded = new Lazy<CardProfile[]>(() =>
        {
            var profiles = new CardProfile[Profiles.Length];
            for (int i = 0; i < Profiles.Length; i++)
            {
                profiles[i] = CardProfile.Load(Profiles[i]);
            }
            return profiles;
        });

        /// <inheritdoc/>
        public override string Name => "sim-line";

        /// <inheritdoc/>
        public override string Description => "reader characters to a simulated card on its virtual line: T=0/T=1/PPS parsing on the card side";

        /// <inheritdoc/>
        protected override long StepBudget(int length)
        {
            return 200_000 + 2_000L * length;
        }

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length == 0)
            {
                return "empty";
            }
            CardProfile profile = Loaded.Value[(data[0] & 7) % Profiles.Length];
            var board = new VirtualBoard(1);
            VirtualSlot slot = board.Slots[0];
            slot.Insert(VirtualCard.FromProfile(profile));
            ICardLine line = slot.Line;
            var vcc = (VoltageClass)(1 + ((data[0] >> 3) & 3) % 3);
            bool autoPps = (data[0] & 0x20) != 0;
            var session = new CardSession(line);
            int power = session.PowerOn(vcc, board.MaxDataRate, autoPps);
            Check(IsLengthOrTransmissionError(power, Atr.MaxLength), $"PowerOn returned {power}");
            long wait = 20_000_000;   // 5 s at 4 MHz: longer than any card's work between two characters
            long last = line.Now;
            int received = 0;
            int p = 1;
            while (p < data.Length)
            {
                budget.Step("record loop");
                int length = data[p++];
                if (length == 0xFF)
                {
                    if (p >= data.Length)
                    {
                        break;
                    }
                    int action = data[p++];
                    int arg = p < data.Length ? data[p] : 0;
                    switch (action & 3)
                    {
                        case 0:
                            session.WarmReset(false);
                            break;
                        case 1:
                            session.PowerOff();
                            session.PowerOn(vcc, board.MaxDataRate, autoPps);
                            break;
                        case 2:
                            p++;
                            int fi = RateTables.Fi(arg >> 4);
                            int di = RateTables.Di(arg & 15);
                            if (fi > 0 && di > 0)
                            {
                                line.Configure((action & 4) != 0 ? Convention.Inverse : Convention.Direct, fi, di, (action & 8) != 0 ? 11 : 12, (action & 16) != 0);
                            }
                            break;
                        default:
                            p++;
                            line.Wait(arg * 1000L);
                            break;
                    }
                }
                else
                {
                    length = Math.Min(length, data.Length - p);
                    line.Send(data, p, length);
                    p += length;
                }
                Check(line.Now >= last, $"the line's clock went back from {last} to {line.Now}");
                last = line.Now;

                // Drain what the card says, as a reader would, until it falls silent.
                int drained = 0;
                while (true)
                {
                    budget.Step("Receive");
                    int c = line.Receive(wait);
                    Check(c == LineStatus.Timeout || c == LineStatus.NoCard || (c >= 0 && c <= 0x1FF && ((c & ~0xFF) == 0 || (c & ~0xFF) == LineStatus.ParityError)),
                        $"Receive returned {c}");
                    Check(line.Now >= last, $"the line's clock went back from {last} to {line.Now}");
                    last = line.Now;
                    if (c < 0)
                    {
                        break;
                    }
                    drained++;
                    Check(drained <= MaxDrain, $"the card sent more than {MaxDrain} characters without a pause of {wait} cycles");
                }
                received += drained;
            }
            VirtualCard? card = slot.Card;
            return $"{profile.Name}: power {power}, {received} characters back, {card?.Observations.Count ?? 0} observations";
        }
    }
}
