using System;
using Terminal.Pace;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// EF.CardAccess as a card may return it (BSI TR-03110-3 A.1.1): <see cref="CardAccess.Parse"/> on the
    /// input, and on the input behind a prefix byte with a trailing byte (the offset and count are honoured).
    /// Checks: one of the three documented results; <see cref="CardAccess.Found"/> exactly with a
    /// supported algorithm and domain parameter ID (12, 13 or 16) whose OID is in the input; nothing
    /// chosen otherwise; the same result at any offset.
    /// </summary>
    public sealed class CardAccessHarness : Harness
    {
        /// <inheritdoc/>
        public override string Name => "cardaccess";

        /// <inheritdoc/>
        public override string Description => "EF.CardAccess contents: CardAccess.Parse";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            var access = new CardAccess();
            int r = access.Parse(data, 0, data.Length);
            Check(r == CardAccess.Found || r == CardAccess.NotSupported || r == CardAccess.Malformed, $"Parse returned {r}");
            if (r == CardAccess.Found)
            {
                Check(access.Algorithm != null, "Found without an algorithm");
                Check(access.ParameterId == 12 || access.ParameterId == 13 || access.ParameterId == 16, $"Found with domain parameter ID {access.ParameterId}");
                Check(access.Version >= 0, $"Found with version {access.Version}");
                var oid = new byte[access.Algorithm!.OidLength];
                access.Algorithm.GetOid(oid, 0);
                Check(IndexOf(data, oid) >= 0, "the chosen algorithm's OID is not in the input");
            }
            else
            {
                Check(access.Algorithm == null && access.ParameterId == -1 && access.Version == -1, $"result {r} but an algorithm is chosen");
            }

            var shifted = new byte[data.Length + 2];
            shifted[0] = 0x31;
            Array.Copy(data, 0, shifted, 1, data.Length);
            shifted[shifted.Length - 1] = 0x30;
            var again = new CardAccess();
            int s = again.Parse(shifted, 1, data.Length);
            Check(s == r && again.ParameterId == access.ParameterId && again.Version == access.Version && again.Algorithm == access.Algorithm,
                $"Parse at offset 1 gives {s}, at offset 0 {r}");
            return r == CardAccess.Found ? $"found parameter {access.ParameterId}" : r == CardAccess.NotSupported ? "not supported" : "malformed";
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k])
                {
                    k++;
                }
                if (k == needle.Length)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
