using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace Terminal.Simulator
{
    /// <summary>
    /// A simulated CPS3/CPS4: the IAS-ECC application shaped as shared/design/cps-opensc.md
    /// describes (EF.ATR, EF.DIR, EF.SN, PKCS#15 files, GET DATA objects, SELECT forms), with the
    /// PIN and unblock code, MSE SET, PSO HASH / COMPUTE DIGITAL SIGNATURE and INTERNAL
    /// AUTHENTICATE on RSA-2048 test keys. The PIN-verified state lives only for the card session.
    /// </summary>
    public sealed class IasEccApplication : Iso7816Application
    {
        /// <summary>Name of the MF.</summary>
        public static readonly byte[] MfName = Hex.Parse("80 25 00 00 01 FF 01 00");

        /// <summary>AID of the IAS application ("CPX IAS").</summary>
        public static readonly byte[] IasAid = Hex.Parse("E8 28 BD 08 0F 80 25 00 00 01 FF 00 10");

        /// <summary>AID of the contactless IAS application ("CPX IAS CL").</summary>
        public static readonly byte[] IasClAid = Hex.Parse("E8 28 BD 08 0F 80 25 00 00 01 FF 00 20");

        /// <summary>EF.ATR content (real CPS3 bytes).</summary>
        public static readonly byte[] EfAtr = Hex.Parse(
            "80 43 01 B8 46 04 04 B0 EC C1 47 03 94 01 80 4F 08 80 25 00 00 01 FF 01 00 " +
            "E0 10 02 02 01 04 02 02 01 04 02 02 01 00 02 02 01 00 78 08 06 06 2B 81 22 F8 78 02 82 02 90 00");

        private static readonly Dictionary<string, TestPki> PkiCache = new Dictionary<string, TestPki>();

        private readonly IasEccData _data;
        private readonly TestPki _pki;
        private byte[] _pin;
        private readonly byte[] _puk;
        private int _pinTries;
        private int _pukTries;
        private bool _verified;
        private int _atKey = 0x82;
        private int _dstKey = 0x81;
        private int _dstAlg = 0x42;
        private byte[]? _hash;

        /// <summary>PIN tries left.</summary>
        public int PinTriesLeft => _pinTries;

        /// <summary>Unblock code tries left.</summary>
        public int UnblockTriesLeft => _pukTries;

        /// <summary>True while the PIN is verified in this card session.</summary>
        public bool Verified => _verified;

        /// <summary>The test keys and certificates of this card.</summary>
        public TestPki Pki => _pki;

        /// <inheritdoc/>
        protected override bool PinVerified => _verified;

        /// <summary>Builds the card from its profile.</summary>
        public IasEccApplication(CardProfile profile) : base(MfName)
        {
            _data = profile.IasEcc ?? new IasEccData();
            _pin = Encoding.ASCII.GetBytes(_data.Pin);
            _puk = Encoding.ASCII.GetBytes(_data.UnblockCode);
            _pinTries = _data.PinTries;
            _pukTries = _data.UnblockTries;
            lock (PkiCache)
            {
                string key = _data.HolderName + "|" + _data.Serial;
                if (!PkiCache.TryGetValue(key, out TestPki? pki))
                {
                    pki = new TestPki(_data.HolderName, _data.Serial);
                    PkiCache[key] = pki;
                }
                _pki = pki;
            }
            byte[] serial = Hex.Parse(_data.Serial);

            Mf.Add(new ElementaryFile(0x2F01, 0x1D, EfAtr));
            Mf.Add(new ElementaryFile(0x2F00, 0x1E, Tlv.Concat(DirRecord(IasAid, "CPX IAS"), DirRecord(IasClAid, "CPX IAS CL"))));
            Mf.Add(new ElementaryFile(0xD003, 0x1C, Tlv.Wrap(0x5A, serial)));

            DedicatedFile ias = Mf.Add(new DedicatedFile(0x0001, IasAid));
            Mf.Add(new DedicatedFile(0x0002, IasClAid));
            ias.Add(new ElementaryFile(0x5031, 0, Hex.Parse("A0 06 30 04 04 02 50 34 A4 06 30 04 04 02 50 36 A8 06 30 04 04 02 50 33")));
            ias.Add(new ElementaryFile(0x5032, 0, TokenInfo(serial)));
            ias.Add(new ElementaryFile(0x5033, 0, Aodf()));
            ias.Add(new ElementaryFile(0x5034, 0, Tlv.Concat(
                PrivateKey("CPS_PRIV_SIG", 0x01, 0x81, Der.Bits(9)),
                PrivateKey("CPS_PRIV_AUT", 0x02, 0x82, Der.Bits(1, 2)))));
            ias.Add(new ElementaryFile(0x5036, 0, Tlv.Concat(
                Certificate("CPS_CERT_SIG", 0x01, 0x7001),
                Certificate("CPS_CERT_AUT", 0x02, 0x7002))));
            ias.Add(new ElementaryFile(0x7001, 0, _pki.SignatureCertificate));
            ias.Add(new ElementaryFile(0x7002, 0, _pki.AuthenticationCertificate));
            AddFiles(profile.Files);
        }

        private static byte[] DirRecord(byte[] aid, string label) =>
            Tlv.Wrap(0x61, Tlv.Concat(
                Tlv.Wrap(0x4F, aid),
                Tlv.Wrap(0x50, Encoding.ASCII.GetBytes(label)),
                Tlv.Wrap(0x51, Hex.Parse("3F 00 00 01")),
                Tlv.Wrap(0x73, Tlv.Wrap(0x4F, IasAid))));

        private byte[] TokenInfo(byte[] serial)
        {
            byte[] Alg(int reference, int mechanism, byte[] ops, string oid, int algRef) =>
                Der.Seq(Der.Int(reference), Der.Int(mechanism), Der.Null(), ops, Der.Oid(oid), Der.Int(algRef));
            byte[] hash = Der.Bits(6), sign = Der.Bits(1), decipher = Der.Bits(5);
            return Der.Seq(
                Der.Int(0),
                Der.Octets(serial),
                Der.Utf8("ASIP Sante (simulation)"),
                Tlv.Wrap(0x80, Encoding.UTF8.GetBytes(_data.Label)),
                Der.Bits(1), // loginRequired
                Der.Tag(0xA2,
                    Alg(1, 0x220, hash, "1.3.14.3.2.26", 0x10),               // SHA-1
                    Alg(2, 0x250, hash, "2.16.840.1.101.3.4.2.1", 0x40),      // SHA-256
                    Alg(3, 0x06, sign, "1.2.840.113549.1.1.5", 0x12),        // SHA1_RSA_PKCS
                    Alg(4, 0x40, sign, "1.2.840.113549.1.1.11", 0x42),       // SHA256_RSA_PKCS
                    Alg(5, 0x01, sign, "1.2.840.113549.1.1.1", 0x02),        // RSA_PKCS sign
                    Alg(6, 0x01, decipher, "1.2.840.113549.1.1.1", 0x02)));  // RSA_PKCS decipher
        }

        private static byte[] Aodf() =>
            Der.Seq(
                Der.Seq(Der.Utf8("PIN CPS"), Der.Bits(1)),       // modifiable
                Der.Seq(Der.Octets(new byte[] { 0x01 })),        // authId
                Der.Tag(0xA1, Der.Seq(
                    Der.Bits(0, 4),                              // case-sensitive, initialized
                    Der.Enumerated(1),                           // ascii-numeric
                    Der.Int(4), Der.Int(8), Der.Int(8),
                    Tlv.Wrap(0x80, new byte[] { 0x01 }),         // pinReference
                    Der.Octets(new byte[] { 0xFF }))));          // padChar

        private static byte[] PrivateKey(string label, byte idSuffix, int keyRef, byte[] usage) =>
            Der.Seq(
                Der.Seq(Der.Utf8(label), Der.Bits(0), Der.Octets(new byte[] { 0x01 })),   // private, authId 01
                Der.Seq(Der.Octets(Tlv.Concat(IasAid, new[] { idSuffix })), usage, Der.Bits(0, 2, 3), Der.Int(keyRef)),
                Der.Tag(0xA1, Der.Seq(Hex.Parse("30 02 04 00"), Der.Int(2048))));

        private static byte[] Certificate(string label, byte idSuffix, ushort fid) =>
            Der.Seq(
                Der.Seq(Der.Utf8(label)),
                Der.Seq(Der.Octets(Tlv.Concat(IasAid, new[] { idSuffix }))),
                Der.Tag(0xA1, Der.Seq(Der.Seq(Der.Octets(new byte[] { 0x3F, 0x00, 0x00, 0x01, (byte)(fid >> 8), (byte)fid })))));

        /// <inheritdoc/>
        public override void Reset()
        {
            base.Reset();
            _verified = false;
            _hash = null;
            _atKey = 0x82;
            _dstKey = 0x81;
            _dstAlg = 0x42;
        }

        /// <inheritdoc/>
        protected override byte[] Fcp(CardFile file)
        {
            if (file is ElementaryFile ef)
            {
                int size = ef.Content?.Length ?? 0;
                var t = new Tlv()
                    .Add(0x80, new byte[] { (byte)(size >> 8), (byte)size })
                    .Add(0x82, new byte[] { 0x01 })
                    .Add(0x83, new byte[] { (byte)(ef.Fid >> 8), (byte)ef.Fid });
                if (ef.Sfi != 0) { t.Add(0x88, new byte[] { (byte)(ef.Sfi << 3) }); }
                t.Raw(Hex.Parse("A1 12 8C 07 7B 45 FF FF FF 45 00 9C 07 7B FF FF FF FF FF 00 8A 01 05"));
                return Tlv.Wrap(0x62, t.ToArray());
            }
            var df = (DedicatedFile)file;
            var d = new Tlv().Add(0x82, new byte[] { 0x38 }).Add(0x83, new byte[] { (byte)(df.Fid >> 8), (byte)df.Fid });
            if (df.Name != null) { d.Add(0x84, df.Name); }
            d.Raw(Hex.Parse("A1 09 8C 07 7B FF FF FF FF FF 00 8A 01 05"));
            return Tlv.Wrap(0x62, d.ToArray());
        }

        /// <inheritdoc/>
        public override ApduResponse Process(ApduCommand c)
        {
            if (c.Cla != 0x00) { return ApduResponse.Status(Sw.ClaNotSupported); }
            switch (c.Ins)
            {
                case 0x20: return Verify(c);
                case 0x24: return ChangeReferenceData(c);
                case 0x2C: return ResetRetryCounter(c);
                case 0x22: return ManageSecurityEnvironment(c);
                case 0x2A: return PerformSecurityOperation(c);
                case 0x88: return InternalAuthenticate(c);
                case 0xCB: return GetDataObject(c);
                case 0x84: return GetChallenge(c);
                default: return base.Process(c);
            }
        }

        // ---- PIN -------------------------------------------------------------------------------

        private static byte[] StripPadding(byte[] d, int offset, int count)
        {
            int n = count;
            while (n > 0 && d[offset + n - 1] == 0xFF) { n--; }
            var r = new byte[n];
            Buffer.BlockCopy(d, offset, r, 0, n);
            return r;
        }

        private static bool ValidPin(byte[] pin)
        {
            if (pin.Length < 4 || pin.Length > 8) { return false; }
            foreach (byte b in pin) { if (b < (byte)'0' || b > (byte)'9') { return false; } }
            return true;
        }

        private int WrongPin()
        {
            _verified = false;
            _pinTries = Math.Max(0, _pinTries - 1);
            if (_pinTries == 0)
            {
                return string.Equals(_data.BlockingSw, "63C0", StringComparison.OrdinalIgnoreCase) ? 0x63C0 : Sw.Blocked;
            }
            return 0x63C0 | _pinTries;
        }

        private ApduResponse Verify(ApduCommand c)
        {
            if (c.P1 != 0x00 || (c.P2 != 0x01 && c.P2 != 0x81)) { return ApduResponse.Status(c.P1 != 0 ? Sw.WrongP1P2 : Sw.DataNotFound); }
            if (c.Data.Length == 0)
            {
                if (_pinTries == 0) { return ApduResponse.Status(Sw.Blocked); }
                return ApduResponse.Status(_verified ? Sw.Ok : 0x63C0 | _pinTries);
            }
            if (_pinTries == 0) { return ApduResponse.Status(Sw.Blocked); }
            byte[] pin = StripPadding(c.Data, 0, c.Data.Length);
            bool ok = CryptographicOperations.FixedTimeEquals(pin, _pin);
            CryptographicOperations.ZeroMemory(pin);
            if (!ok) { return ApduResponse.Status(WrongPin()); }
            _pinTries = _data.PinTries;
            _verified = true;
            return ApduResponse.Status(Sw.Ok);
        }

        private ApduResponse ChangeReferenceData(ApduCommand c)
        {
            if (c.P1 != 0x00 || (c.P2 != 0x01 && c.P2 != 0x81)) { return ApduResponse.Status(Sw.WrongP1P2); }
            if (_pinTries == 0) { return ApduResponse.Status(Sw.Blocked); }
            // Padded form: two 8-byte blocks; plain form: the old PIN has the current PIN's length.
            int split = c.Data.Length == 16 ? 8 : _pin.Length;
            if (c.Data.Length <= split) { return ApduResponse.Status(Sw.WrongLength); }
            byte[] old = StripPadding(c.Data, 0, split);
            byte[] fresh = StripPadding(c.Data, split, c.Data.Length - split);
            bool ok = CryptographicOperations.FixedTimeEquals(old, _pin);
            CryptographicOperations.ZeroMemory(old);
            if (!ok) { CryptographicOperations.ZeroMemory(fresh); return ApduResponse.Status(WrongPin()); }
            if (!ValidPin(fresh)) { CryptographicOperations.ZeroMemory(fresh); return ApduResponse.Status(Sw.WrongData); }
            CryptographicOperations.ZeroMemory(_pin);
            _pin = fresh;
            _pinTries = _data.PinTries;
            _verified = true;
            return ApduResponse.Status(Sw.Ok);
        }

        private ApduResponse ResetRetryCounter(ApduCommand c)
        {
            if ((c.P1 != 0x00 && c.P1 != 0x01) || (c.P2 != 0x01 && c.P2 != 0x81)) { return ApduResponse.Status(Sw.WrongP1P2); }
            if (_pukTries == 0) { return ApduResponse.Status(Sw.Blocked); }
            int pukLength = _puk.Length;
            if (c.Data.Length < pukLength || (c.P1 == 0x00 && c.Data.Length == pukLength) || (c.P1 == 0x01 && c.Data.Length != pukLength))
            {
                return ApduResponse.Status(Sw.WrongLength);
            }
            byte[] puk = StripPadding(c.Data, 0, pukLength);
            bool ok = CryptographicOperations.FixedTimeEquals(puk, _puk);
            CryptographicOperations.ZeroMemory(puk);
            if (!ok)
            {
                _pukTries--;
                return ApduResponse.Status(_pukTries == 0 ? Sw.Blocked : 0x63C0 | _pukTries);
            }
            _pukTries = _data.UnblockTries;
            if (c.P1 == 0x00)
            {
                byte[] fresh = StripPadding(c.Data, pukLength, c.Data.Length - pukLength);
                if (!ValidPin(fresh)) { CryptographicOperations.ZeroMemory(fresh); return ApduResponse.Status(Sw.WrongData); }
                CryptographicOperations.ZeroMemory(_pin);
                _pin = fresh;
            }
            _pinTries = _data.PinTries;
            return ApduResponse.Status(Sw.Ok);
        }

        // ---- keys ------------------------------------------------------------------------------

        private ApduResponse ManageSecurityEnvironment(ApduCommand c)
        {
            if (c.P1 != 0x41 || (c.P2 != 0xA4 && c.P2 != 0xAA && c.P2 != 0xB6 && c.P2 != 0xB8))
            {
                return ApduResponse.Status(c.P1 == 0xF3 ? Sw.Ok : Sw.WrongP1P2);
            }
            int alg = -1, key = -1;
            byte[] d = c.Data;
            for (int i = 0; i + 1 < d.Length;)
            {
                int tag = d[i], len = d[i + 1];
                if (i + 2 + len > d.Length) { return ApduResponse.Status(Sw.WrongData); }
                if (tag == 0x80 && len == 1) { alg = d[i + 2]; }
                if ((tag == 0x84 || tag == 0x83) && len == 1) { key = d[i + 2]; }
                i += 2 + len;
            }
            if (key >= 0 && key != 0x81 && key != 0x82) { return ApduResponse.Status(Sw.DataNotFound); }
            if (c.P2 == 0xA4 && key >= 0) { _atKey = key; }
            if (c.P2 == 0xB6)
            {
                if (key >= 0) { _dstKey = key; }
                if (alg >= 0) { _dstAlg = alg; }
            }
            if (c.P2 == 0xAA && alg >= 0) { _dstAlg = alg == 0x10 ? 0x12 : alg == 0x40 ? 0x42 : _dstAlg; }
            return ApduResponse.Status(Sw.Ok);
        }

        private RSA Key(int reference) => reference == 0x81 ? _pki.SignatureKey : _pki.AuthenticationKey;

        private static readonly byte[] Sha1Prefix = Hex.Parse("30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14");
        private static readonly byte[] Sha256Prefix = Hex.Parse("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20");

        private ApduResponse PerformSecurityOperation(ApduCommand c)
        {
            if (c.P1 == 0x90 && c.P2 == 0xA0)
            {
                // PSO HASH: 90 L <hash> (hash made outside) or 80 L <message> (hash made on card).
                byte[] d = c.Data;
                if (d.Length < 2 || d.Length != 2 + d[1]) { return ApduResponse.Status(Sw.WrongData); }
                var v = new byte[d[1]];
                Buffer.BlockCopy(d, 2, v, 0, v.Length);
                if (d[0] == 0x90) { _hash = v; }
                else if (d[0] == 0x80) { _hash = _dstAlg == 0x12 ? SHA1.HashData(v) : SHA256.HashData(v); }
                else { return ApduResponse.Status(Sw.WrongData); }
                return ApduResponse.Status(Sw.Ok);
            }
            if (c.P1 == 0x9E && c.P2 == 0x9A)
            {
                if (!_verified) { return ApduResponse.Status(Sw.SecurityNotSatisfied); }
                byte[] input;
                if (_dstAlg == 0x02)
                {
                    if (c.Data.Length == 0) { return ApduResponse.Status(Sw.ConditionsNotSatisfied); }
                    input = c.Data;
                }
                else
                {
                    if (_hash == null) { return ApduResponse.Status(Sw.ConditionsNotSatisfied); }
                    byte[] prefix = _dstAlg == 0x12 ? Sha1Prefix : Sha256Prefix;
                    if (_hash.Length != (_dstAlg == 0x12 ? 20 : 32)) { return ApduResponse.Status(Sw.ConditionsNotSatisfied); }
                    input = Tlv.Concat(prefix, _hash);
                }
                byte[]? sig = TestPki.SignPkcs1(Key(_dstKey), input);
                _hash = null;
                return sig == null ? ApduResponse.Status(Sw.WrongLength) : ApduResponse.Ok(sig);
            }
            return ApduResponse.Status(Sw.WrongP1P2);
        }

        private ApduResponse InternalAuthenticate(ApduCommand c)
        {
            if (c.P1 != 0 || c.P2 != 0) { return ApduResponse.Status(Sw.WrongP1P2); }
            if (!_verified) { return ApduResponse.Status(Sw.SecurityNotSatisfied); }
            if (c.Data.Length == 0) { return ApduResponse.Status(Sw.WrongLength); }
            byte[]? sig = TestPki.SignPkcs1(Key(_atKey), c.Data);
            return sig == null ? ApduResponse.Status(Sw.WrongLength) : ApduResponse.Ok(sig);
        }

        private ApduResponse GetChallenge(ApduCommand c)
        {
            int n = c.Ne == 0 ? 8 : Math.Min(c.Ne, 256);
            return ApduResponse.Ok(RandomNumberGenerator.GetBytes(n));
        }

        // ---- GET DATA (CB 3F FF) on security data objects --------------------------------------

        private ApduResponse GetDataObject(ApduCommand c)
        {
            if (c.P1 != 0x3F || c.P2 != 0xFF) { return ApduResponse.Status(Sw.WrongP1P2); }
            byte[] d = c.Data;
            if (Find(d, 0xBF, 0x81, 0x01))
            {
                if (Find(d, 0x7F, 0x41))
                {
                    return ApduResponse.Ok(Hex.Parse("70 0D BF 81 01 09 7F 41 06 80 01 08 81 01 04"));
                }
                if (Find(d, 0xA0))
                {
                    byte[] body = Tlv.Concat(
                        new byte[] { 0x9A, 0x01, (byte)_data.PinTries, 0x9B, 0x01, (byte)_pinTries },
                        Hex.Parse("A1 08 8C 06 F3 00 00 13 FF 00"));
                    return ApduResponse.Ok(Tlv.Wrap(0x70, Tlv.Wrap(0xBF8101, Tlv.Wrap(0xA0, body))));
                }
                return ApduResponse.Status(Sw.WrongP1P2);
            }
            for (int k = 1; k <= 2; k++)
            {
                if (!Find(d, 0xBF, 0x90, (byte)k)) { continue; }
                if (Find(d, 0x7F, 0x48)) { return ApduResponse.Status(Sw.WrongP1P2); }
                if (Find(d, 0xA0))
                {
                    byte[] docp = Tlv.Concat(Tlv.Wrap(0xA1, Hex.Parse("8C 08 7F 11 11 11 FF FF FF 00")), Hex.Parse("80 02 01 00"));
                    return ApduResponse.Ok(Tlv.Wrap(0x70, Tlv.Wrap(0xBF9000 | k, Tlv.Wrap(0xA0, docp))));
                }
                return ApduResponse.Status(Sw.WrongP1P2);
            }
            return ApduResponse.Status(Sw.DataNotFound);
        }

        private static bool Find(byte[] d, params byte[] pattern)
        {
            for (int i = 0; i + pattern.Length <= d.Length; i++)
            {
                bool ok = true;
                for (int j = 0; j < pattern.Length && ok; j++) { ok = d[i + j] == pattern[j]; }
                if (ok) { return true; }
            }
            return false;
        }
    }
}
