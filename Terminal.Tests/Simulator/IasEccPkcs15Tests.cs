using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>The PKCS#15 files of the virtual CPS decode as strict DER with the content cps-opensc.md names.</summary>
    public class IasEccPkcs15Tests
    {
        private static readonly IasEccApplication App = (IasEccApplication)VirtualCard.FromProfile("cps3").Application;

        private static byte[] Read(string path)
        {
            App.Reset();
            byte[] p = Hex.Parse(path);
            ApduResponse sel = App.Process(new ApduCommand(0, 0xA4, 0x09, 0x04, p, 256));
            Assert.Equal(Sw.Ok, sel.Sw);
            var all = new List<byte>();
            for (int off = 0; ; off += 256)
            {
                ApduResponse r = App.Process(new ApduCommand(0, 0xB0, (byte)(off >> 8), (byte)off, null, 256));
                if (r.Sw != Sw.Ok) { break; }
                all.AddRange(r.Data);
                if (r.Data.Length < 256) { break; }
            }
            return all.ToArray();
        }

        [Fact]
        public void Pkcs15_TokenInfo_IsDer_WithSerialLabelLoginRequiredAndSixAlgorithms()
        {
            var r = new AsnReader(Read("3F 00 00 01 50 32"), AsnEncodingRules.DER);
            AsnReader t = r.ReadSequence();
            Assert.False(r.HasData);
            Assert.Equal(0, (int)t.ReadInteger());
            Assert.Equal("80250000019921384500", Convert.ToHexString(t.ReadOctetString()));
            t.ReadCharacterString(UniversalTagNumber.UTF8String);
            Assert.Equal("CPS de TEST Simulateur", t.ReadCharacterString(UniversalTagNumber.UTF8String, new Asn1Tag(TagClass.ContextSpecific, 0)));
            byte[] flags = t.ReadBitString(out int unused);
            Assert.Equal(0x40, flags[0]);
            Assert.Equal(6, unused);
            AsnReader algs = t.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true));
            var refs = new List<int>();
            while (algs.HasData)
            {
                AsnReader a = algs.ReadSequence();
                a.ReadInteger();
                a.ReadInteger();
                a.ReadNull();
                a.ReadBitString(out _);
                a.ReadObjectIdentifier();
                refs.Add((int)a.ReadInteger());
            }
            Assert.Equal(new[] { 0x10, 0x40, 0x12, 0x42, 0x02, 0x02 }, refs.ToArray());
        }

        [Fact]
        public void Pkcs15_Aodf_OnePinCps_Ascii_Min4Stored8Max8_Reference1_PadFF()
        {
            var r = new AsnReader(Read("3F 00 00 01 50 33"), AsnEncodingRules.DER);
            AsnReader pin = r.ReadSequence();
            Assert.False(r.HasData);
            Assert.Equal("PIN CPS", pin.ReadSequence().ReadCharacterString(UniversalTagNumber.UTF8String));
            Assert.Equal(new byte[] { 1 }, pin.ReadSequence().ReadOctetString());
            AsnReader attrs = pin.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)).ReadSequence();
            byte[] pinFlags = attrs.ReadBitString(out _);
            Assert.Equal(0x88, pinFlags[0]);
            Assert.Equal(1, attrs.ReadEnumeratedBytes().ToArray()[0]);
            Assert.Equal(4, (int)attrs.ReadInteger());
            Assert.Equal(8, (int)attrs.ReadInteger());
            Assert.Equal(8, (int)attrs.ReadInteger());
            Assert.Equal(1, (int)attrs.ReadInteger(new Asn1Tag(TagClass.ContextSpecific, 0)));
            Assert.Equal(new byte[] { 0xFF }, attrs.ReadOctetString());
        }

        [Fact]
        public void Pkcs15_PrkdfAndCdf_TwoKeysWhoseCertificatesMatchTheCardKeys()
        {
            var prk = new AsnReader(Read("3F 00 00 01 50 34"), AsnEncodingRules.DER);
            var keys = new Dictionary<string, (byte[] Id, int Ref)>();
            while (prk.HasData)
            {
                AsnReader k = prk.ReadSequence();
                string label = k.ReadSequence().ReadCharacterString(UniversalTagNumber.UTF8String);
                AsnReader common = k.ReadSequence();
                byte[] id = common.ReadOctetString();
                common.ReadBitString(out _);
                common.ReadBitString(out _);
                int keyRef = (int)common.ReadInteger();
                AsnReader rsa = k.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)).ReadSequence();
                Assert.Equal("30020400", Convert.ToHexString(rsa.ReadEncodedValue().ToArray()));
                Assert.Equal(2048, (int)rsa.ReadInteger());
                keys[label] = (id, keyRef);
            }
            Assert.Equal(0x81, keys["CPS_PRIV_SIG"].Ref);
            Assert.Equal(0x82, keys["CPS_PRIV_AUT"].Ref);
            Assert.Equal(Convert.ToHexString(IasEccApplication.IasAid) + "01", Convert.ToHexString(keys["CPS_PRIV_SIG"].Id));

            var cdf = new AsnReader(Read("3F 00 00 01 50 36"), AsnEncodingRules.DER);
            int count = 0;
            while (cdf.HasData)
            {
                AsnReader c = cdf.ReadSequence();
                c.ReadSequence();
                byte[] id = c.ReadSequence().ReadOctetString();
                byte[] path = c.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)).ReadSequence().ReadSequence().ReadOctetString();
                using X509Certificate2 cert = X509CertificateLoader.LoadCertificate(Read(Hex.Format(path)));
                RSA expected = id[^1] == 1 ? App.Pki.SignatureKey : App.Pki.AuthenticationKey;
                Assert.Equal(Convert.ToHexString(expected.ExportParameters(false).Modulus!), Convert.ToHexString(cert.GetRSAPublicKey()!.ExportParameters(false).Modulus!));
                count++;
            }
            Assert.Equal(2, count);
        }

        [Fact]
        public void CpsOpensc_EfDir_TwoRecordsOf101Bytes_LeadingToTheIasDf()
        {
            byte[] dir = Read("3F 00 2F 00");
            Assert.Equal(101, dir.Length);
            Assert.Equal(0x61, dir[0]);
            Assert.Equal(0x2F, dir[1]);
            Assert.Equal(0x61, dir[0x31]);
            Assert.Equal(0x32, dir[0x32]);
        }

        [Fact]
        public void CpsOpensc_GetDataOnKeys_7F48Is6A86_A0GivesTheDocp()
        {
            App.Reset();
            Assert.Equal(Sw.WrongP1P2, App.Process(new ApduCommand(0, 0xCB, 0x3F, 0xFF, Hex.Parse("4D 08 70 06 BF 90 02 02 7F 48"), 256)).Sw);
            ApduResponse a0 = App.Process(new ApduCommand(0, 0xCB, 0x3F, 0xFF, Hex.Parse("4D 07 70 05 BF 90 02 01 A0"), 256));
            Assert.Equal(Sw.Ok, a0.Sw);
            Assert.StartsWith("70 ", Hex.Format(a0.Data));
            Assert.Contains("BF 90 02", Hex.Format(a0.Data));
            Assert.Contains("8C 08 7F", Hex.Format(a0.Data));
        }
    }
}
