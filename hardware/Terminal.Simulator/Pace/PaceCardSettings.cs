using System;
using System.IO;
using System.Text.Json;

namespace Terminal.Simulator.Pace
{
    /// <summary>
    /// The "pace" section of a card profile (hardware/cards/pace-test.json): passwords, PIN retry counter, the
    /// PACE algorithm and curve the card offers in EF.CardAccess. The profile's "application" stays "generic" (the
    /// simulator's own kinds); <see cref="PaceCard.FromProfile(string)"/> reads this section and puts a
    /// <see cref="PaceCardApplication"/> around the profile's files.
    /// </summary>
    public sealed class PaceCardSettings
    {
        /// <summary>The PIN (password reference 3), ASCII digits.</summary>
        public string Pin { get; set; } = "123456";

        /// <summary>The card access number (password reference 2).</summary>
        public string Can { get; set; } = "500540";

        /// <summary>MRZ information (password reference 1, ICAO documents), or null when the card has none.</summary>
        public string? Mrz { get; set; }

        /// <summary>PIN retry counter initial (and reset) value.</summary>
        public int PinTries { get; set; } = 3;

        /// <summary>Standardized domain parameter ID: 12 NIST P-256, 13 brainpoolP256r1, 16 brainpoolP384r1.</summary>
        public int ParameterId { get; set; } = 13;

        /// <summary>AES key length of id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256: 16, 24 or 32.</summary>
        public int KeyLength { get; set; } = 16;

        /// <summary>The OID content bytes of the algorithm (0.4.0.127.0.7.2.2.4.2.{2,3,4}).</summary>
        public byte[] Oid()
        {
            int last = KeyLength switch { 16 => 2, 24 => 3, 32 => 4, _ => throw new InvalidDataException($"pace keyLength {KeyLength}: 16, 24 or 32") };
            return new byte[] { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, (byte)last };
        }

        /// <summary>EF.CardAccess: SET { PACEInfo { protocol, version 2, parameterId } } (TR-03110-3 A.1.1).</summary>
        public byte[] CardAccess()
        {
            byte[] oid = Oid();
            byte[] info = CardSymmetric.Concat(new byte[] { 0x06, (byte)oid.Length }, oid,
                new byte[] { 0x02, 0x01, 0x02, 0x02, 0x01, (byte)ParameterId });
            byte[] seq = CardSymmetric.Concat(new byte[] { 0x30, (byte)info.Length }, info);
            return CardSymmetric.Concat(new byte[] { 0x31, (byte)seq.Length }, seq);
        }

        internal void Validate(string where)
        {
            if (CardCurve.FromParameterId(ParameterId) == null)
            {
                throw new InvalidDataException($"{where}: pace parameterId {ParameterId} is not 12, 13 or 16");
            }
            _ = Oid();
            if (Pin.Length == 0 || Can.Length == 0 || PinTries < 1 || PinTries > 15)
            {
                throw new InvalidDataException($"{where}: pace pin/can empty or pinTries outside 1..15");
            }
        }

        /// <summary>Reads the "pace" section of a profile file (defaults when absent).</summary>
        public static PaceCardSettings LoadFile(string path)
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), options);
            var s = new PaceCardSettings();
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (!p.Name.Equals("pace", StringComparison.OrdinalIgnoreCase)) { continue; }
                s = p.Value.Deserialize<PaceCardSettings>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
                    ?? new PaceCardSettings();
            }
            s.Validate(path);
            return s;
        }
    }

    /// <summary>Makes simulated PACE cards.</summary>
    public static class PaceCard
    {
        /// <summary>The card of profile <paramref name="name"/> (hardware/cards/&lt;name&gt;.json) running PACE.</summary>
        public static VirtualCard FromProfile(string name) => FromProfileFile(Find(name));

        /// <summary>The card of the profile file <paramref name="path"/> running PACE.</summary>
        public static VirtualCard FromProfileFile(string path)
        {
            CardProfile profile = CardProfile.LoadFile(path);
            var app = new PaceCardApplication(PaceCardSettings.LoadFile(path));
            app.AddFiles(profile.Files);
            return new VirtualCard(profile, app);
        }

        private static string Find(string name)
        {
            string file = name + ".json";
            string beside = Path.Combine(AppContext.BaseDirectory, "cards", file);
            if (File.Exists(beside)) { return beside; }
            string? env = Environment.GetEnvironmentVariable("TERMINAL_CARDS_DIR");
            if (env != null && File.Exists(Path.Combine(env, file))) { return Path.Combine(env, file); }
            for (DirectoryInfo? d = new DirectoryInfo(Directory.GetCurrentDirectory()); d != null; d = d.Parent)
            {
                string c = Path.Combine(d.FullName, "hardware", "cards", file);
                if (File.Exists(c)) { return c; }
            }
            throw new FileNotFoundException($"card profile {name} not found", file);
        }
    }
}
