using System;
using Terminal.Simulator;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// The simulated cards' command parsers at APDU level: byte 0 picks the card (the application of
    /// a profile: t1-generic's ISO 7816-4 file system, vitale2, vitale1, cps3's IAS-ECC), then a sequence of
    /// records, each a length byte (FE: reset the card; FF: a two-byte length follows) and that many
    /// bytes: a command APDU, parsed by <see cref="ApduCommand.Parse"/> and processed by the application
    /// (<see cref="ICardApplication.Process"/>). Checks: no exception; every response has a status word
    /// of ISO/IEC 7816-4 (61xx-6Fxx or 9xxx) and at most 65 536 data bytes.
    /// </summary>
    public sealed class SimulatorApduHarness : Harness
    {
        /// <summary>The profiles the first byte chooses from.</summary>
        public static readonly string[] Profiles = { "t1-generic", "vitale2", "vitale1", "cps3" };

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
        public override string Name => "sim-apdu";

        /// <inheritdoc/>
        public override string Description => "APDUs to a simulated card application: ApduCommand.Parse and ICardApplication.Process (file system, Vitale, IAS-ECC)";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length == 0)
            {
                return "empty";
            }
            CardProfile profile = Loaded.Value[data[0] % Profiles.Length];
            ICardApplication app = CardApplications.Create(profile);
            app.Reset();
            int p = 1;
            int commands = 0;
            int malformed = 0;
            int lastSw = -1;
            while (p < data.Length)
            {
                budget.Step("command loop");
                int length = data[p++];
                if (length == 0xFE)
                {
                    app.Reset();
                    continue;
                }
                if (length == 0xFF)
                {
                    if (p + 2 > data.Length)
                    {
                        break;
                    }
                    length = (data[p] << 8) | data[p + 1];
                    p += 2;
                }
                length = Math.Min(length, data.Length - p);
                ApduCommand? command = ApduCommand.Parse(data, p, length);
                p += length;
                if (command == null)
                {
                    malformed++;
                    continue;
                }
                bool hasData = app.CommandHasData(command.Cla, command.Ins, command.P1, command.P2);
                ApduResponse response = app.Process(command);
                Check(response != null, "Process returned null");
                Check(response!.Data != null && response.Data.Length <= 65536, $"a response of {response.Data?.Length} bytes");
                int sw1 = response.Sw >> 8;
                Check((response.Sw & ~0xFFFF) == 0 && (sw1 >= 0x61 && sw1 <= 0x6F || sw1 >= 0x90 && sw1 <= 0x9F),
                    $"status word {response.Sw:X} to {command.Cla:X2} {command.Ins:X2} {command.P1:X2} {command.P2:X2} (has data: {hasData})");
                Check(response.ExtraWork >= TimeSpan.Zero, $"negative work time {response.ExtraWork}");
                lastSw = response.Sw;
                commands++;
            }
            return $"{profile.Name}: {commands} commands, {malformed} malformed, last SW {lastSw:X4}";
        }
    }
}
