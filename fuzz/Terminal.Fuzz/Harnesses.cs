using System;
using Terminal.Fuzz.Harnesses;

namespace Terminal.Fuzz
{
    /// <summary>Every harness, by name (the name is also the corpus folder: fuzz/corpus/&lt;name&gt;).</summary>
    public static class HarnessRegistry
    {
        /// <summary>All harnesses, in the order the README lists them.</summary>
        public static readonly Harness[] All =
        {
            new AtrHarness(),
            new T1Harness(),
            new ApduHarness(),
            new PinStructureHarness(),
            new PseudoApduHarness(),
            new SecureMessagingHarness(),
            new CardAccessHarness(),
            new CardSessionHarness(),
            new SimulatorApduHarness(),
            new SimulatorLineHarness(),
            new HostLinkHarness(),
        };

        /// <summary>The harness called <paramref name="name"/>, or null.</summary>
        public static Harness? Find(string name)
        {
            foreach (Harness h in All)
            {
                if (string.Equals(h.Name, name, StringComparison.Ordinal))
                {
                    return h;
                }
            }
            return null;
        }
    }
}
