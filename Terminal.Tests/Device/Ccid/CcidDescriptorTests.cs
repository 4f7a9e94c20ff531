using nanoFramework.TestFramework;
using Terminal.Ccid;

namespace Terminal.Tests.Device.Ccid
{
    /// <summary>The native USB descriptors, field by field (CCID rev 1.1 §5.1, USB 2.0 §9.6).</summary>
    [TestClass]
    public class CcidDescriptorTests
    {
        private static CcidDescriptors.BoardFacts Facts()
        {
            CcidDescriptors.BoardFacts facts = new CcidDescriptors.BoardFacts();
            facts.VoltageSupport = 0x03;
            facts.ClocksKhz = new int[] { 2500, 5000 };
            facts.DataRates = CcidDescriptors.DataRates(5000000, 500000);
            return facts;
        }

        [TestMethod]
        public void Ccid_5_1_ClassDescriptorFields()
        {
            byte[] d = CcidDescriptors.ClassDescriptor(Facts());
            Assert.AreEqual(54, d.Length);
            Assert.AreEqual(0x36, (int)d[0], "bLength");
            Assert.AreEqual(0x21, (int)d[1], "bDescriptorType");
            Assert.AreEqual(0x0110, d[2] | (d[3] << 8), "bcdCCID");
            Assert.AreEqual(1, (int)d[4], "bMaxSlotIndex: two slots");
            Assert.AreEqual(0x03, (int)d[5], "bVoltageSupport: 5 V and 3 V, as the board");
            Assert.AreEqual(3, CcidDevice.ReadInt(d, 6), "dwProtocols T=0 and T=1");
            Assert.AreEqual(2500, CcidDevice.ReadInt(d, 10), "dwDefaultClock kHz");
            Assert.AreEqual(5000, CcidDevice.ReadInt(d, 14), "dwMaximumClock kHz");
            Assert.AreEqual(2, (int)d[18], "bNumClockSupported");
            Assert.AreEqual(13440, CcidDevice.ReadInt(d, 19), "dwDataRate: 5 MHz / 372");
            Assert.AreEqual(312500, CcidDevice.ReadInt(d, 23), "dwMaxDataRate: 5 MHz x 32 / 512");
            Assert.AreEqual(CcidDescriptors.DataRates(5000000, 500000).Length, (int)d[27], "bNumDataRatesSupported");
            Assert.AreEqual(254, CcidDevice.ReadInt(d, 28), "dwMaxIFSD");
            Assert.AreEqual(0, CcidDevice.ReadInt(d, 32), "dwSynchProtocols");
            Assert.AreEqual(0, CcidDevice.ReadInt(d, 36), "dwMechanical");
            Assert.AreEqual(0x000404BA, CcidDevice.ReadInt(d, 40), "dwFeatures: extended APDU level, automatic PPS");
            Assert.AreEqual(271, CcidDevice.ReadInt(d, 44), "dwMaxCCIDMessageLength");
            Assert.AreEqual(0xFF, (int)d[48], "bClassGetResponse");
            Assert.AreEqual(0xFF, (int)d[49], "bClassEnvelope");
            Assert.AreEqual(0x0210, d[50] | (d[51] << 8), "wLcdLayout: 2 lines of 16");
            Assert.AreEqual(0x03, (int)d[52], "bPINSupport: verify and modify");
            Assert.AreEqual(1, (int)d[53], "bMaxCCIDBusySlots");
        }

        [TestMethod]
        public void Ccid_5_1_DataRatesAreTheRealFiDiRatesUnderTheBoardMaximum()
        {
            int[] rates = CcidDescriptors.DataRates(5000000, 200000);
            Assert.AreEqual(13440, rates[0]);
            for (int i = 1; i < rates.Length; i++)
            {
                Assert.IsTrue(rates[i] > rates[i - 1], "ascending, no duplicates");
                Assert.IsTrue(rates[i] <= 200000, "within the UART maximum");
            }
            Assert.AreEqual(161290, rates[rates.Length - 1], "5 MHz x 12 / 372");
        }

        [TestMethod]
        public void Ccid_5_1_BoardFactsComeFromTheBoard()
        {
            CcidDescriptors.BoardFacts facts = CcidDescriptors.BoardFacts.From(2, 0x03, 4000000, 115200);
            byte[] d = CcidDescriptors.ClassDescriptor(facts);
            Assert.AreEqual(0x03, (int)d[5], "bVoltageSupport");
            Assert.AreEqual(4000, CcidDevice.ReadInt(d, 10), "dwDefaultClock: the board's 4 MHz");
            Assert.AreEqual(4000, CcidDevice.ReadInt(d, 14), "dwMaximumClock");
            Assert.AreEqual(1, (int)d[18], "one clock");
            Assert.AreEqual(10752, CcidDevice.ReadInt(d, 19), "4 MHz / 372");
            Assert.AreEqual(86021, CcidDevice.ReadInt(d, 23), "4 MHz x 8 / 372: the fastest rate under the UART's 115 200 bps");
        }

        [TestMethod]
        public void Ccid_5_1_bPINSupport_CarriesThePaceBitsOfTr03119()
        {
            CcidDescriptors.BoardFacts facts = CcidDescriptors.BoardFacts.From(2, 0x03, 4000000, 115200);
            Assert.AreEqual(0x03, (int)CcidDescriptors.ClassDescriptor(facts)[52], "verify and modify by default");
            facts.PinSupport = CcidDescriptors.PinVerify | CcidDescriptors.PinModify | CcidDescriptors.PinPaceCapabilities | CcidDescriptors.PinPaceExecute;
            Assert.AreEqual(0x33, (int)CcidDescriptors.ClassDescriptor(facts)[52], "bPINSupport with GetReaderPACECapabilities (10h) and EstablishPACEChannel (20h)");
        }

        [TestMethod]
        public void Usb_9_6_1_DeviceDescriptorFields()
        {
            byte[] d = CcidDescriptors.DeviceDescriptor(0x1209, 0x5E5A, 0x0010);
            Assert.AreEqual(18, d.Length);
            Assert.AreEqual(18, (int)d[0]);
            Assert.AreEqual(1, (int)d[1], "DEVICE");
            Assert.AreEqual(0x0200, d[2] | (d[3] << 8), "bcdUSB");
            Assert.AreEqual(0, (int)d[4], "class at interface level");
            Assert.AreEqual(64, (int)d[7], "bMaxPacketSize0");
            Assert.AreEqual(0x1209, d[8] | (d[9] << 8), "idVendor");
            Assert.AreEqual(0x5E5A, d[10] | (d[11] << 8), "idProduct");
            Assert.AreEqual(0x0010, d[12] | (d[13] << 8), "bcdDevice");
            Assert.AreEqual(1, (int)d[17], "bNumConfigurations");
        }

        [TestMethod]
        public void Usb_9_6_3_ConfigurationCarriesTheCcidInterfaceAndThreeEndpoints()
        {
            byte[] d = CcidDescriptors.ConfigurationDescriptor(Facts());
            Assert.AreEqual(9 + 9 + 54 + 21, d.Length);
            Assert.AreEqual(d.Length, d[2] | (d[3] << 8), "wTotalLength");
            Assert.AreEqual(1, (int)d[4], "bNumInterfaces");
            int i = 9;
            Assert.AreEqual(4, (int)d[i + 1], "INTERFACE");
            Assert.AreEqual(3, (int)d[i + 4], "bNumEndpoints");
            Assert.AreEqual(0x0B, (int)d[i + 5], "Smart Card class");
            i += 9;
            Assert.AreEqual(0x21, (int)d[i + 1], "CCID class descriptor follows the interface");
            i += 54;
            Assert.AreEqual(0x01, (int)d[i + 2], "bulk OUT address");
            Assert.AreEqual(0x02, (int)d[i + 3], "bulk");
            i += 7;
            Assert.AreEqual(0x82, (int)d[i + 2], "bulk IN address");
            Assert.AreEqual(0x02, (int)d[i + 3]);
            i += 7;
            Assert.AreEqual(0x83, (int)d[i + 2], "interrupt IN address");
            Assert.AreEqual(0x03, (int)d[i + 3], "interrupt");
            Assert.AreEqual(8, d[i + 4] | (d[i + 5] << 8), "wMaxPacketSize");
        }
    }
}
