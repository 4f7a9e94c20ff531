using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>Issue 8 item 6: PINs in clear from the host refused with 6982 while secure entry is enforced.</summary>
    [TestClass]
    public class PinPolicyTests
    {
        private static bool Clear(string hex)
        {
            byte[] apdu = PinStructures.Hex(hex);
            return PinPolicy.IsClearPinCommand(apdu, 0, apdu.Length);
        }

        [TestMethod]
        [DataRow("00 20 00 01 04 31 32 33 34")]
        [DataRow("00 20 00 01 08 31 32 33 34 FF FF FF FF")]
        [DataRow("00 24 00 01 10 31 32 33 34 FF FF FF FF 35 36 37 38 FF FF FF FF")]
        [DataRow("00 2C 00 01 0C 31 32 33 34 35 36 37 38 34 33 32 31")]
        [DataRow("00 2C 01 01 08 31 32 33 34 35 36 37 38")]
        [DataRow("80 20 00 01 04 31 32 33 34")]
        [DataRow("00 21 00 01 06 7F 2E 03 01 02 03")]
        [DataRow("00 20 00 01 00 00 04 31 32 33 34")]
        [DataRow("00 20 00 01 04")]
        public void PinCarryingCommands_AreClearPin(string hex)
        {
            Assert.IsTrue(Clear(hex));
        }

        [TestMethod]
        [DataRow("00 20 00 01")]
        [DataRow("00 20 00 01 00")]
        [DataRow("00 2C 03 01")]
        [DataRow("00 20 00 01 00 00 00")]
        [DataRow("FF 20 00 01 04 31 32 33 34")]
        [DataRow("00 A4 04 00 02 3F 00")]
        [DataRow("00 88 00 00 04 01 02 03 04")]
        public void OtherCommands_AreNot(string hex)
        {
            Assert.IsFalse(Clear(hex));
        }

        [TestMethod]
        public void EnforcedOnTheCpxSlotByDefault_6982()
        {
            PinPolicy policy = new PinPolicy(2);
            byte[] verify = PinStructures.Hex("00 20 00 01 04 31 32 33 34");
            byte[] query = PinStructures.Hex("00 20 00 01");
            Assert.AreEqual(0x6982, policy.Check(1, verify, 0, verify.Length));
            Assert.AreEqual(0, policy.Check(1, query, 0, query.Length), "retry-counter query allowed");
            Assert.AreEqual(0, policy.Check(0, verify, 0, verify.Length), "not enforced on the Vitale slot");
        }

        [TestMethod]
        public void Configurable_OffAndOnPerSlot()
        {
            PinPolicy policy = new PinPolicy(2);
            byte[] verify = PinStructures.Hex("00 20 00 01 04 31 32 33 34");
            policy.SetEnforced(1, false);
            Assert.AreEqual(0, policy.Check(1, verify, 0, verify.Length));
            policy.SetEnforced(0, true);
            Assert.AreEqual(0x6982, policy.Check(0, verify, 0, verify.Length));
            Assert.IsFalse(policy.IsEnforced(7));
        }
    }
}
