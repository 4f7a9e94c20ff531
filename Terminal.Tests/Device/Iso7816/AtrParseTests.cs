using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §8: ATR structure, interface bytes, derived parameters and the errors of <see cref="Atr.Parse"/>.</summary>
    [TestClass]
    public class AtrParseTests
    {
        private static Atr Parse(string hex, AtrError expected)
        {
            byte[] bytes = Hex.Bytes(hex);
            Atr atr = new Atr();
            AtrError error = atr.Parse(bytes, 0, bytes.Length);
            Assert.AreEqual((int)expected, (int)error, hex + ": " + error);
            return atr;
        }

        [TestMethod]
        public void Iso7816_3_8_1_Vitale1_InverseConvention_NoTa1_Defaults()
        {
            Atr atr = Parse("3F 65 25 00 2C 09 69 90 00", AtrError.None);
            Assert.AreEqual((int)Convention.Inverse, (int)atr.Convention);
            Assert.IsFalse(atr.HasTa1);
            Assert.AreEqual(372, atr.Fi);
            Assert.AreEqual(1, atr.Di);
            Assert.AreEqual(5000, atr.FmaxKhz);
            Assert.AreEqual(0, atr.N);
            Assert.AreEqual(1, atr.ProtocolCount);
            Assert.AreEqual(0, atr.GetProtocol(0));
            Assert.AreEqual(0, atr.DefaultProtocol);
            Assert.AreEqual(10, atr.WI);
            Assert.AreEqual(5, atr.HistoricalLength);
            Assert.AreEqual("2C 09 69 90 00", Hex.Of(atr.Bytes, atr.HistoricalOffset, atr.HistoricalLength));
            Assert.AreEqual((int)TckStatus.Absent, (int)atr.Tck);
        }

        [TestMethod]
        public void Iso7816_3_8_3_Vitale2_Ta1_13_MeansFi372Di4()
        {
            Atr atr = Parse("3B 75 13 00 00 47 09 EA 90 00", AtrError.None);
            Assert.AreEqual((int)Convention.Direct, (int)atr.Convention);
            Assert.IsTrue(atr.HasTa1);
            Assert.AreEqual(1, atr.FiIndex);
            Assert.AreEqual(3, atr.DiIndex);
            Assert.AreEqual(372, atr.Fi);
            Assert.AreEqual(4, atr.Di);
            Assert.AreEqual(5000, atr.FmaxKhz);
            Assert.IsFalse(atr.SpecificMode);
            Assert.AreEqual("47 09 EA 90 00", Hex.Of(atr.Bytes, atr.HistoricalOffset, atr.HistoricalLength));
        }

        [TestMethod]
        public void Iso7816_3_10_2_Cps3_Tc2_2A_IsWi42()
        {
            Atr atr = Parse("3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00", AtrError.None);
            Assert.AreEqual(42, atr.WI);
            Assert.AreEqual(1, atr.ProtocolMask);
            Assert.AreEqual(12, atr.HistoricalLength);
            Assert.AreEqual((int)TckStatus.Absent, (int)atr.Tck);
        }

        [TestMethod]
        public void Iso7816_3_8_3_Cps4_Ta1_18_Di12_Tc1_FF()
        {
            Atr atr = Parse("3B DC 18 FF 00 00 12 25 00 64 80 00 04 01 00 90 00", AtrError.None);
            Assert.AreEqual(372, atr.Fi);
            Assert.AreEqual(12, atr.Di);
            Assert.AreEqual(255, atr.N);
            Assert.AreEqual(0, atr.DefaultProtocol);
            Assert.AreEqual(12, atr.HistoricalLength);
        }

        [TestMethod]
        public void Iso7816_3_8_3_T1Card_IfscBwiCwiAndT15ClassesFromTheirFirstBytes()
        {
            Atr atr = Parse("3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C", AtrError.None);
            Assert.AreEqual(1, atr.ProtocolCount);
            Assert.AreEqual(1, atr.GetProtocol(0));
            Assert.AreEqual(1, atr.DefaultProtocol);
            Assert.AreEqual(254, atr.Ifsc);
            Assert.AreEqual(7, atr.Bwi);
            Assert.AreEqual(5, atr.Cwi);
            Assert.IsFalse(atr.UsesCrc);
            Assert.AreEqual((int)ClockStop.NotSupported, (int)atr.ClockStop);
            Assert.AreEqual(3, atr.ClassMask);
            Assert.AreEqual((int)TckStatus.Correct, (int)atr.Tck);
        }

        [TestMethod]
        public void Iso7816_3_8_3_T1_Defaults_WhenNoSpecificBytes()
        {
            Atr atr = Parse("3B 80 01 81", AtrError.None);
            Assert.AreEqual(32, atr.Ifsc);
            Assert.AreEqual(13, atr.Cwi);
            Assert.AreEqual(4, atr.Bwi);
            Assert.IsFalse(atr.UsesCrc);
            Assert.AreEqual((int)ClockStop.NotIndicated, (int)atr.ClockStop);
            Assert.AreEqual(0, atr.ClassMask);
        }

        [TestMethod]
        public void Iso7816_3_8_2_3_Protocols_InOrder_WithoutRepeatsOrT15()
        {
            // TD1 = 80 (T=0, TD2 follows), TD2 = 81 (T=1, TD3 follows), TD3 = 1F (T=15, TA4 follows), TA4 = 03, TCK.
            Atr atr = Parse("3B 80 80 81 1F 03 9D", AtrError.None);
            Assert.AreEqual(2, atr.ProtocolCount);
            Assert.AreEqual(0, atr.GetProtocol(0));
            Assert.AreEqual(1, atr.GetProtocol(1));
            Assert.AreEqual(3, atr.ProtocolMask);
            Assert.AreEqual((int)TckStatus.Correct, (int)atr.Tck);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_Wrong_IsBadTck()
        {
            Atr atr = Parse("3B 80 01 80", AtrError.BadTck);
            Assert.AreEqual((int)TckStatus.Wrong, (int)atr.Tck);
            Assert.IsFalse(atr.IsUsable);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_MissingWhenT1Indicated()
        {
            Parse("3B 80 01", AtrError.MissingTck);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_OnlyT0_TckAbsent_AStrayCheckingByteIsNotPartOfTheAtr()
        {
            // Only T=0 (TD1 says T=0): TCK shall be absent, so the ATR is 3B 80 00 and the 80 after it,
            // though it checks as a TCK would, is reported aside.
            Atr atr = Parse("3B 80 00 80", AtrError.UnexpectedTck);
            Assert.AreEqual(3, atr.Length);
            Assert.AreEqual((int)TckStatus.Absent, (int)atr.Tck);
            Assert.AreEqual(0x80, atr.StrayTck);
            Assert.IsTrue(atr.IsUsable);
            Assert.AreEqual(0, atr.HistoricalLength);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_OnlyT0ByDefault_StrayTckAfterTheHistoricalBytes()
        {
            // No TD1 at all (T=0 by default): Vitale 2's ATR and a byte equal to the XOR of T0..00.
            Atr atr = Parse("3B 75 13 00 00 47 09 EA 90 00 52", AtrError.UnexpectedTck);
            Assert.AreEqual(10, atr.Length);
            Assert.AreEqual(0x52, atr.StrayTck);
            Assert.AreEqual((int)TckStatus.Absent, (int)atr.Tck);
            Assert.AreEqual(5, atr.HistoricalLength);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_OnlyT0_ATrailingByteThatDoesNotCheck_IsExtraBytes()
        {
            Atr atr = Parse("3B 75 13 00 00 47 09 EA 90 00 53", AtrError.ExtraBytes);
            Assert.AreEqual(-1, atr.StrayTck);
            Assert.IsFalse(atr.IsUsable);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_Tck_OnlyT0_NoStrayByte_StrayTckIsMinusOne()
        {
            Atr atr = Parse("3B 75 13 00 00 47 09 EA 90 00", AtrError.None);
            Assert.AreEqual(-1, atr.StrayTck);
        }

        [TestMethod]
        [DataRow("3C 00", (int)AtrError.BadTs)]
        [DataRow("", (int)AtrError.Empty)]
        [DataRow("3B", (int)AtrError.TruncatedInterfaceBytes)]
        [DataRow("3B 90", (int)AtrError.TruncatedInterfaceBytes)]
        [DataRow("3B 80 81", (int)AtrError.TruncatedInterfaceBytes)]
        [DataRow("3B 03 01 02", (int)AtrError.TruncatedHistoricalBytes)]
        [DataRow("3B 00 01 02", (int)AtrError.ExtraBytes)]
        [DataRow("3B 0F 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF", (int)AtrError.TooLong)]
        public void Iso7816_3_8_2_MalformedAtr_GivesPreciseStructuralError(string hex, int expected)
        {
            Atr atr = Parse(hex, (AtrError)expected);
            Assert.IsTrue(Atr.IsFatal(atr.LastError));
        }

        [TestMethod]
        [DataRow("3B 10 71", (int)AtrError.RfuFi)]
        [DataRow("3B 10 1A", (int)AtrError.RfuDi)]
        [DataRow("3B 10 10", (int)AtrError.RfuDi)]
        [DataRow("3B 80 40 00", (int)AtrError.RfuWi)]
        [DataRow("3B 80 10 61", (int)AtrError.RfuTa2)]
        [DataRow("3B 80 81 11 FF EF", (int)AtrError.RfuIfsc)]
        [DataRow("3B 80 81 21 A5 85", (int)AtrError.RfuBwi)]
        [DataRow("3B 80 81 41 02 42", (int)AtrError.RfuEdc)]
        [DataRow("3B 80 80 1F C0 DF", (int)AtrError.RfuClassIndicator)]
        public void Iso7816_3_8_3_RfuValue_IsReportedAndTheRestDecoded(string hex, int expected)
        {
            Atr atr = Parse(hex, (AtrError)expected);
            Assert.IsTrue(atr.IsUsable);
        }

        [TestMethod]
        public void Iso7816_3_8_3_RfuFields_GiveUnknownValues()
        {
            Assert.AreEqual(0, Parse("3B 10 71", AtrError.RfuFi).Fi);
            Assert.AreEqual(0, Parse("3B 10 71", AtrError.RfuFi).FmaxKhz);
            Assert.AreEqual(0, Parse("3B 10 1A", AtrError.RfuDi).Di);
            Assert.AreEqual(0, Parse("3B 80 81 11 FF EF", AtrError.RfuIfsc).Ifsc);
            Assert.AreEqual(-1, Parse("3B 80 81 21 A5 85", AtrError.RfuBwi).Bwi);
            Assert.IsTrue(Parse("3B 80 81 41 02 42", AtrError.RfuEdc).EdcRfu);
        }

        [TestMethod]
        public void Iso7816_3_8_3_Ta2_SpecificMode()
        {
            // TD1 = 11 (T=1, TA2 follows); TA2 = 91: T=1, cannot change mode (bit 8), implicit parameters (bit 5).
            Atr atr = Parse("3B 90 11 11 91 01", AtrError.None);
            Assert.IsTrue(atr.SpecificMode);
            Assert.AreEqual(1, atr.SpecificProtocol);
            Assert.AreEqual(1, atr.DefaultProtocol);
            Assert.IsFalse(atr.CanChangeMode);
            Assert.IsTrue(atr.ImplicitParameters);
        }

        [TestMethod]
        public void Iso7816_3_8_3_CrcSelectedByFirstTcForT1()
        {
            byte[] b = Hex.Bytes("3B 80 81 41 01 00");
            b[5] = (byte)(0x80 ^ 0x81 ^ 0x41 ^ 0x01);
            Atr atr = new Atr();
            Assert.AreEqual((int)AtrError.None, (int)atr.Parse(b, 0, b.Length));
            Assert.IsTrue(atr.UsesCrc);
        }

        [TestMethod]
        public void Parse_BadArguments_NeverThrow()
        {
            Atr atr = new Atr();
            Assert.AreEqual((int)AtrError.Empty, (int)atr.Parse(null!, 0, 3));
            Assert.AreEqual((int)AtrError.Empty, (int)atr.Parse(new byte[2], 1, 5));
            Assert.AreEqual((int)AtrError.Empty, (int)atr.Parse(new byte[2], -1, 1));
        }

        [TestMethod]
        public void Parse_EveryTwoByteAndTruncatedPrefix_NeverThrows()
        {
            byte[] full = Hex.Bytes("3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C");
            Atr atr = new Atr();
            for (int n = 0; n <= full.Length; n++)
            {
                AtrError e = atr.Parse(full, 0, n);
                Assert.IsTrue(n == full.Length ? e == AtrError.None : Atr.IsFatal(e), "prefix " + n + ": " + e);
            }
            byte[] b = new byte[2];
            b[0] = 0x3B;
            for (int t0 = 0; t0 < 256; t0++)
            {
                b[1] = (byte)t0;
                atr.Parse(b, 0, 2);
            }
        }
    }
}
