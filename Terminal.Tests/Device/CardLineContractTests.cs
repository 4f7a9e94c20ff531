using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device
{
    /// <summary>The result coding of ICardLine.Receive: every outcome distinguishable, the value kept under a parity error.</summary>
    [TestClass]
    public class CardLineContractTests
    {
        [TestMethod]
        [DataRow(0x00)]
        [DataRow(0x3B)]
        [DataRow(0xFF)]
        public void ParityErrorKeepsTheCharacterValue(int value)
        {
            int received = value | LineStatus.ParityError;
            Assert.AreEqual(value, received & 0xFF);
            Assert.IsTrue(received > 0xFF, "a parity error must not look like a plain character");
        }

        [TestMethod]
        public void StatusCodesAreNegativeAndDistinct()
        {
            Assert.IsTrue(LineStatus.Timeout < 0);
            Assert.IsTrue(LineStatus.NoCard < 0);
            Assert.AreNotEqual(LineStatus.Timeout, LineStatus.NoCard);
        }
    }
}
