using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Terminal.Simulator
{
    /// <summary>
    /// A virtual card described as data (hardware/cards/&lt;name&gt;.json): its ATR, its timing and
    /// the application it runs, so a lab adds a card without code.
    /// </summary>
    public sealed class CardProfile
    {
        /// <summary>Profile name (the file name without .json).</summary>
        public string Name { get; set; } = "";

        /// <summary>What the card is, for people.</summary>
        public string? Description { get; set; }

        /// <summary>The ATR in hex (spaces allowed), logical values, TS first.</summary>
        public string Atr { get; set; } = "";

        /// <summary>Voltage classes the card accepts ("A", "AB", "BC"...).</summary>
        public string Classes { get; set; } = "AB";

        /// <summary>Timing of the card's answers.</summary>
        public CardTiming Timing { get; set; } = new CardTiming();

        /// <summary>Application kind: generic, vitale2, vitale1, iasecc.</summary>
        public string Application { get; set; } = "generic";

        /// <summary>Files of the card's file system (generic kind; added to the others).</summary>
        public List<FileSpec>? Files { get; set; }

        /// <summary>Vitale 2 holder data (kind vitale2).</summary>
        public VitaleData? Vitale { get; set; }

        /// <summary>IAS-ECC (CPS3/CPS4) data (kind iasecc).</summary>
        public IasEccData? IasEcc { get; set; }

        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        /// <summary>The ATR as bytes.</summary>
        public byte[] AtrBytes() => Hex.Parse(Atr);

        /// <summary>Reads a profile file; throws <see cref="InvalidDataException"/> with the reason when it is wrong.</summary>
        public static CardProfile LoadFile(string path)
        {
            CardProfile? p;
            try
            {
                p = JsonSerializer.Deserialize<CardProfile>(File.ReadAllText(path), Options);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"card profile {path}: {e.Message}", e);
            }
            if (p == null)
            {
                throw new InvalidDataException($"card profile {path} is empty");
            }
            if (string.IsNullOrEmpty(p.Name))
            {
                p.Name = Path.GetFileNameWithoutExtension(path);
            }
            try
            {
                _ = new AtrInfo(p.AtrBytes());
                p.Vitale?.Validate();
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"card profile {path}: {e.Message}", e);
            }
            return p;
        }

        /// <summary>
        /// Finds a profile by name: the cards/ folder beside the assembly, $TERMINAL_CARDS_DIR, then
        /// hardware/cards above the working directory.
        /// </summary>
        public static CardProfile Load(string name)
        {
            foreach (string dir in SearchDirectories())
            {
                string path = Path.Combine(dir, name + ".json");
                if (File.Exists(path))
                {
                    return LoadFile(path);
                }
            }
            throw new FileNotFoundException($"no card profile named '{name}' (looked in {string.Join(", ", SearchDirectories())})");
        }

        /// <summary>Names of the profiles found.</summary>
        public static IReadOnlyList<string> Available()
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string dir in SearchDirectories())
            {
                foreach (string f in Directory.GetFiles(dir, "*.json"))
                {
                    names.Add(Path.GetFileNameWithoutExtension(f));
                }
            }
            return new List<string>(names);
        }

        private static IEnumerable<string> SearchDirectories()
        {
            var dirs = new List<string>();
            string beside = Path.Combine(AppContext.BaseDirectory, "cards");
            if (Directory.Exists(beside)) { dirs.Add(beside); }
            string? env = Environment.GetEnvironmentVariable("TERMINAL_CARDS_DIR");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) { dirs.Add(env); }
            string? d = Directory.GetCurrentDirectory();
            while (d != null)
            {
                string c = Path.Combine(d, "hardware", "cards");
                if (Directory.Exists(c)) { dirs.Add(c); break; }
                d = Path.GetDirectoryName(d);
            }
            return dirs;
        }
    }

    /// <summary>How fast a card answers.</summary>
    public sealed class CardTiming
    {
        /// <summary>Card clock cycles from RST high to the leading edge of TS (ISO 7816-3: 400 to 40 000).</summary>
        public long AtrDelayCycles { get; set; } = 10_000;

        /// <summary>Work time of an ordinary command, in microseconds (after the minimum turnaround).</summary>
        public int ProcessingMicroseconds { get; set; } = 100;

        /// <summary>Per instruction (hex INS, e.g. "88"): work time in milliseconds, replacing the default.</summary>
        public Dictionary<string, int>? InsProcessingMilliseconds { get; set; }

        /// <summary>T=0: while working longer than this, the card sends a NULL (60) every interval. 0 = never.</summary>
        public int NullIntervalMilliseconds { get; set; }

        /// <summary>Whether the card accepts a PPS for the rate of its TA1.</summary>
        public bool AcceptPps { get; set; } = true;

        /// <summary>T=0: true when the card asks for (and sends) data one byte at a time with ~INS procedure bytes.</summary>
        public bool ByteByByte { get; set; }

        /// <summary>Character spacing of the card in T=1, in ETU (11 at minimum).</summary>
        public int T1CharacterEtu { get; set; } = 11;
    }

    /// <summary>One file of a data-described file system.</summary>
    public sealed class FileSpec
    {
        /// <summary>Path from the MF as FIDs in hex, e.g. "3F00/2F00" or "3F00/0001/5031".</summary>
        public string Path { get; set; } = "";

        /// <summary>"ef" (transparent), "records" (linear fixed) or "df".</summary>
        public string Type { get; set; } = "ef";

        /// <summary>DF name (AID) in hex, for a DF.</summary>
        public string? Aid { get; set; }

        /// <summary>Short EF identifier (1..30), 0 for none.</summary>
        public int Sfi { get; set; }

        /// <summary>Content in hex (transparent EF).</summary>
        public string? Hex { get; set; }

        /// <summary>Content as text (ASCII), instead of hex.</summary>
        public string? Text { get; set; }

        /// <summary>Size of a generated content (bytes i mod 251), instead of hex or text.</summary>
        public int PatternSize { get; set; }

        /// <summary>Records in hex (records EF).</summary>
        public List<string>? Records { get; set; }

        /// <summary>Read condition: "always", "never" (6982) or "pin".</summary>
        public string Read { get; set; } = "always";

        /// <summary>Whether UPDATE BINARY may write it.</summary>
        public bool Writable { get; set; }
    }

    /// <summary>The holder data of a simulated Vitale 2 card.</summary>
    public sealed class VitaleData
    {
        /// <summary>NIR: 13 digits and the 2-digit key (15 characters).</summary>
        public string Nir { get; set; } = "";

        /// <summary>Nationality code (ASCII, e.g. "FRA").</summary>
        public string Nationality { get; set; } = "FRA";

        /// <summary>Card validity start (AAAAMMJJ).</summary>
        public string ValidityStart { get; set; } = "";

        /// <summary>Scheme codes: régime (2 digits).</summary>
        public string Regime { get; set; } = "01";

        /// <summary>Caisse (3 digits).</summary>
        public string Caisse { get; set; } = "751";

        /// <summary>Centre (4 digits).</summary>
        public string Centre { get; set; } = "0001";

        /// <summary>The persons on the card, holder first.</summary>
        public List<VitalePerson> Persons { get; set; } = new List<VitalePerson>();

        /// <summary>Complementary insurer (AMC) number, empty when none.</summary>
        public string Amc { get; set; } = "";

        /// <summary>Checks the NIR (digits and key = 97 - (number mod 97)).</summary>
        public void Validate()
        {
            if (!IsValidNir(Nir))
            {
                throw new FormatException($"NIR '{Nir}' is not 13 digits followed by its correct key");
            }
            foreach (VitalePerson person in Persons)
            {
                if (!string.IsNullOrEmpty(person.Nir) && !IsValidNir(person.Nir))
                {
                    throw new FormatException($"NIR '{person.Nir}' of {person.FirstName} is not valid");
                }
            }
        }

        /// <summary>The NIR key of a 13-digit number: 97 - (number mod 97).</summary>
        public static int NirKey(string thirteenDigits) => 97 - (int)(long.Parse(thirteenDigits, System.Globalization.CultureInfo.InvariantCulture) % 97);

        /// <summary>True for 13 digits and the correct 2-digit key.</summary>
        public static bool IsValidNir(string nir)
        {
            if (nir.Length != 15) { return false; }
            foreach (char c in nir) { if (c < '0' || c > '9') { return false; } }
            return NirKey(nir.Substring(0, 13)) == int.Parse(nir.Substring(13), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A person on a Vitale card (the holder or a beneficiary).</summary>
    public sealed class VitalePerson
    {
        /// <summary>Last name.</summary>
        public string LastName { get; set; } = "";

        /// <summary>First name.</summary>
        public string FirstName { get; set; } = "";

        /// <summary>Birth date AAAAMMJJ.</summary>
        public string BirthDate { get; set; } = "";

        /// <summary>Birth rank (1 for single births).</summary>
        public int BirthRank { get; set; } = 1;

        /// <summary>Relationship to the holder: "assure", "conjoint", "enfant".</summary>
        public string Relationship { get; set; } = "assure";

        /// <summary>Own NIR of a beneficiary, when any.</summary>
        public string? Nir { get; set; }

        /// <summary>AMO rights periods (0 to 3).</summary>
        public List<VitalePeriod> AmoRights { get; set; } = new List<VitalePeriod>();

        /// <summary>Coverage codes with dates (ALD exoneration, CMU-C...).</summary>
        public List<VitaleCoverage> Coverages { get; set; } = new List<VitaleCoverage>();
    }

    /// <summary>A rights period.</summary>
    public sealed class VitalePeriod
    {
        /// <summary>Start AAAAMMJJ.</summary>
        public string Start { get; set; } = "";

        /// <summary>End AAAAMMJJ.</summary>
        public string End { get; set; } = "";
    }

    /// <summary>A coverage code with its period.</summary>
    public sealed class VitaleCoverage
    {
        /// <summary>"ALD", "CMU-C", ...</summary>
        public string Code { get; set; } = "";

        /// <summary>Start AAAAMMJJ.</summary>
        public string Start { get; set; } = "";

        /// <summary>End AAAAMMJJ.</summary>
        public string End { get; set; } = "";
    }

    /// <summary>The configurable parts of a simulated CPS3/CPS4 (IAS-ECC).</summary>
    public sealed class IasEccData
    {
        /// <summary>PIN ("code porteur"), ASCII digits.</summary>
        public string Pin { get; set; } = "1234";

        /// <summary>PIN tries before blocking.</summary>
        public int PinTries { get; set; } = 3;

        /// <summary>Unblock code, ASCII digits.</summary>
        public string UnblockCode { get; set; } = "12345678";

        /// <summary>Unblock code tries.</summary>
        public int UnblockTries { get; set; } = 10;

        /// <summary>Status word of the wrong attempt that blocks: "6983" or "63C0".</summary>
        public string BlockingSw { get; set; } = "6983";

        /// <summary>Serial number shown in TokenInfo and EF.SN (hex).</summary>
        public string Serial { get; set; } = "80250000019921384500";

        /// <summary>Token label.</summary>
        public string Label { get; set; } = "CPS de TEST Simulateur";

        /// <summary>Holder name in the certificates' subject.</summary>
        public string HolderName { get; set; } = "Docteur TESTEUR Simulation";

        /// <summary>Card generation: 3 or 4 (CPS4 answers the same application).</summary>
        public int Generation { get; set; } = 3;
    }

    /// <summary>Hex strings with optional spaces.</summary>
    public static class Hex
    {
        /// <summary>Parses "3B 75 13" or "3B7513".</summary>
        public static byte[] Parse(string hex)
        {
            string s = hex.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
            if (s.Length % 2 != 0)
            {
                throw new FormatException($"odd hex string '{hex}'");
            }
            return Convert.FromHexString(s);
        }

        /// <summary>"3B 75 13".</summary>
        public static string Format(byte[] data, int offset, int count)
        {
            var chars = new char[Math.Max(0, count * 3 - 1)];
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                if (i > 0) { chars[i * 3 - 1] = ' '; }
                chars[i * 3] = digits[b >> 4];
                chars[i * 3 + 1] = digits[b & 15];
            }
            return new string(chars);
        }

        /// <summary>"3B 75 13".</summary>
        public static string Format(byte[] data) => Format(data, 0, data.Length);
    }
}
