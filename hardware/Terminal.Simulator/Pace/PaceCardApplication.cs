using System;
using System.Collections.Generic;
using System.Numerics;
using System.Security.Cryptography;

namespace Terminal.Simulator.Pace
{
    /// <summary>
    /// A simulated PACE card (card side of BSI TR-03110-3 B.1 / ICAO 9303-11 4.4, id-PACE-ECDH-GM-AES-CBC-CMAC-*):
    /// EF.CardAccess (011C under the MF, readable in plain), MSE:Set AT with the protocol OID and the password
    /// reference (2 CAN, 3 PIN with a retry counter, 1 MRZ when configured), the four General Authenticate steps chained with CLA 10, then
    /// AES secure messaging (TR-03110-3 F, ICAO 9303-11 9.8) in front of an ISO 7816-4 file system. A file whose
    /// profile read condition is "pin" answers only to commands under secure messaging after PACE (6982 in plain).
    /// </summary>
    /// <remarks>
    /// Status words: MSE:Set AT 9000, or 63Cx (x PIN tries left) when the counter is below its start value;
    /// 6A80 unknown OID or malformed data; 6A88 password reference other than CAN, PIN (or MRZ). General Authenticate
    /// 6985 out of order (no MSE:Set AT, or after a failure), 6883 chained where the last command was expected,
    /// 6884 unchained before the last step, 6A80 malformed 7C or bad point, 6983 PIN blocked, and on a wrong token
    /// 63Cx (PIN, x tries left after the decrement) or 6300 (CAN). Under SM: a missing DO'8E' gives plain 6987,
    /// a wrong MAC, padding or DO gives plain 6988, and either ends the channel (keys wiped). A plain command while
    /// the channel is open also ends it. Reset, deactivation and removal wipe everything.
    /// </remarks>
    public sealed class PaceCardApplication : ICardApplication
    {
        /// <summary>EF.CardAccess file identifier.</summary>
        public const ushort CardAccessFid = 0x011C;

        private readonly PaceCardSettings _settings;
        private readonly CardCurve _curve;
        private readonly byte[] _oid;
        private readonly SecuredFiles _files = new SecuredFiles();
        private readonly object _lock = new object();

        // Protocol state: 0 idle, 1..4 next General Authenticate step.
        private int _step;
        private int _password;
        private byte[]? _kPi;
        private BigInteger _nonce;
        private CardPoint _mappedG;
        private byte[]? _pkIfd, _pkIc;
        private byte[]? _ksEnc, _ksMac;
        private byte[] _ssc = new byte[16];
        private bool _smOpen;
        private int _pinTries;

        /// <summary>A card with <paramref name="settings"/>; EF.CardAccess is made from them.</summary>
        public PaceCardApplication(PaceCardSettings settings)
        {
            settings.Validate("pace card");
            _settings = settings;
            _curve = CardCurve.FromParameterId(settings.ParameterId)!;
            _oid = settings.Oid();
            _pinTries = settings.PinTries;
            _files.Mf.Add(new ElementaryFile(CardAccessFid, 0x1C, settings.CardAccess()));
        }

        /// <summary>Adds profile files (read condition "pin" = secure messaging after PACE).</summary>
        public void AddFiles(IEnumerable<FileSpec>? files) => _files.AddFiles(files);

        /// <summary>The file system behind secure messaging.</summary>
        public Iso7816Application Files => _files;

        /// <summary>PIN tries left (persistent: survives reset, as on a card).</summary>
        public int PinTriesLeft { get { lock (_lock) { return _pinTries; } } }

        /// <summary>Whether a secure messaging channel is open.</summary>
        public bool ChannelOpen { get { lock (_lock) { return _smOpen; } } }

        /// <summary>Whether any session or password key is held (false after every failure and after Reset).</summary>
        public bool HoldsKeys { get { lock (_lock) { return _kPi != null || _ksEnc != null || _ksMac != null; } } }

        /// <summary>Password reference of the open channel (2 CAN, 3 PIN), 0 when none.</summary>
        public int ChannelPassword { get { lock (_lock) { return _smOpen ? _password : 0; } } }

        /// <summary>Number of SM-protected commands accepted since power-up.</summary>
        public int ProtectedCommands { get; private set; }

        /// <summary>
        /// Replaces the card's random generator (worked examples): called with 16 for the nonce s, then with the field
        /// length for SK_map,IC and SK_DH,IC (taken as they are, not reduced). Null: RandomNumberGenerator.
        /// </summary>
        public Func<int, byte[]>? RandomOverride { get; set; }

        /// <summary>Fault: flip one bit of the DO'8E' of the next protected response.</summary>
        public bool TamperNextResponseMac { get; set; }

        /// <summary>Sets the PIN retry counter (tests of the blocked and low-counter cases).</summary>
        public void SetPinTries(int tries) { lock (_lock) { _pinTries = tries; } }

        /// <inheritdoc/>
        public void Reset()
        {
            lock (_lock)
            {
                EndProtocol();
                EndChannel();
                _files.Reset();
            }
        }

        /// <inheritdoc/>
        public bool CommandHasData(byte cla, byte ins, byte p1, byte p2) =>
            (cla & 0x0C) == 0x0C || Iso7816Commands.HasData(ins);

        /// <inheritdoc/>
        public ApduResponse Process(ApduCommand c)
        {
            lock (_lock)
            {
                if ((c.Cla & 0x0C) == 0x0C)
                {
                    return Protected(c);
                }
                if (_smOpen)
                {
                    // ICAO 9303-11 9.8.6: a plain APDU ends the secure messaging session.
                    EndChannel();
                }
                if (c.Ins == 0x22 && c.P1 == 0xC1 && c.P2 == 0xA4 && (c.Cla & 0xEF) == 0)
                {
                    return MseSetAt(c);
                }
                if (c.Ins == 0x86 && (c.Cla & 0xEF) == 0)
                {
                    ApduResponse r = GeneralAuthenticate(c);
                    if (r.Sw != Sw.Ok) { EndProtocol(); }
                    return r;
                }
                if ((c.Cla & 0x10) != 0) { return ApduResponse.Status(0x6884); }
                _files.Secure = false;
                return _files.Process(c);
            }
        }

        private ApduResponse MseSetAt(ApduCommand c)
        {
            EndProtocol();
            var dos = Tlvs(c.Data, 0, c.Data.Length);
            if (dos == null || !dos.TryGetValue(0x80, out byte[]? oid) || !dos.TryGetValue(0x83, out byte[]? reference) || reference.Length != 1)
            {
                return ApduResponse.Status(Sw.WrongData);
            }
            if (!CryptographicOperations.FixedTimeEquals(oid, _oid))
            {
                return ApduResponse.Status(Sw.WrongData);
            }
            int password = reference[0];
            if (password != 2 && password != 3 && !(password == 1 && _settings.Mrz != null))
            {
                return ApduResponse.Status(Sw.DataNotFound);
            }
            _password = password;
            _step = 1;
            if (password == 3 && _pinTries < _settings.PinTries)
            {
                return ApduResponse.Status(0x63C0 | _pinTries);
            }
            return ApduResponse.Status(Sw.Ok);
        }

        private ApduResponse GeneralAuthenticate(ApduCommand c)
        {
            if (_step == 0 || c.P1 != 0 || c.P2 != 0)
            {
                return ApduResponse.Status(c.P1 != 0 || c.P2 != 0 ? Sw.WrongP1P2 : Sw.ConditionsNotSatisfied);
            }
            bool chained = (c.Cla & 0x10) != 0;
            if (_step < 4 && !chained) { return ApduResponse.Status(0x6884); }
            if (_step == 4 && chained) { return ApduResponse.Status(0x6883); }
            if (c.Data.Length < 2 || c.Data[0] != 0x7C) { return ApduResponse.Status(Sw.WrongData); }
            int p = 1;
            int outer = ReadLength(c.Data, ref p);
            if (outer < 0 || p + outer != c.Data.Length) { return ApduResponse.Status(Sw.WrongData); }
            var inner = Tlvs(c.Data, p, outer);
            if (inner == null) { return ApduResponse.Status(Sw.WrongData); }

            switch (_step)
            {
                case 1:
                {
                    if (inner.Count != 0) { return ApduResponse.Status(Sw.WrongData); }
                    if (_password == 3 && _pinTries == 0) { return ApduResponse.Status(Sw.Blocked); }
                    string secret = _password == 3 ? _settings.Pin : _password == 2 ? _settings.Can : _settings.Mrz!;
                    var pw = new byte[secret.Length];
                    for (int i = 0; i < pw.Length; i++) { pw[i] = (byte)secret[i]; }
                    if (_password == 1)
                    {
                        // ICAO 9303-11 9.7.3: the MRZ password is SHA-1 of the MRZ information.
                        byte[] k = SHA1.HashData(pw);
                        Array.Clear(pw);
                        pw = k;
                    }
                    _kPi = CardSymmetric.Kdf(pw, CardSymmetric.CounterPassword, _settings.KeyLength);
                    Array.Clear(pw);
                    byte[] s = Random(16);
                    _nonce = CardCurve.U(s);
                    byte[] z = CardSymmetric.EncryptCbc(_kPi, new byte[16], s);
                    Array.Clear(s);
                    _step = 2;
                    return Dynamic(0x80, z);
                }
                case 2:
                {
                    if (!inner.TryGetValue(0x81, out byte[]? pkMapIfd)) { return ApduResponse.Status(Sw.WrongData); }
                    CardPoint? peer = _curve.Decode(pkMapIfd);
                    if (peer == null) { return ApduResponse.Status(Sw.WrongData); }
                    BigInteger sk = Scalar();
                    CardPoint pk = _curve.Multiply(sk, _curve.G);
                    CardPoint h = _curve.Multiply(sk, peer.Value);
                    if (h.Infinity) { return ApduResponse.Status(Sw.WrongData); }
                    _mappedG = _curve.Add(_curve.Multiply(_nonce, _curve.G), h);
                    _nonce = BigInteger.Zero;
                    if (_mappedG.Infinity) { return ApduResponse.Status(Sw.WrongData); }
                    _step = 3;
                    return Dynamic(0x82, _curve.Encode(pk));
                }
                case 3:
                {
                    if (!inner.TryGetValue(0x83, out byte[]? pkIfd)) { return ApduResponse.Status(Sw.WrongData); }
                    CardPoint? peer = _curve.Decode(pkIfd);
                    if (peer == null) { return ApduResponse.Status(Sw.WrongData); }
                    BigInteger sk = Scalar();
                    byte[] pkIc = _curve.Encode(_curve.Multiply(sk, _mappedG));
                    if (CryptographicOperations.FixedTimeEquals(pkIc, pkIfd)) { return ApduResponse.Status(Sw.WrongData); }
                    CardPoint k = _curve.Multiply(sk, peer.Value);
                    if (k.Infinity) { return ApduResponse.Status(Sw.WrongData); }
                    byte[] secret = CardCurve.Bytes(k.X, _curve.FieldLength);
                    _ksEnc = CardSymmetric.Kdf(secret, CardSymmetric.CounterEnc, _settings.KeyLength);
                    _ksMac = CardSymmetric.Kdf(secret, CardSymmetric.CounterMac, _settings.KeyLength);
                    Array.Clear(secret);
                    _pkIfd = pkIfd;
                    _pkIc = pkIc;
                    _step = 4;
                    return Dynamic(0x84, pkIc);
                }
                default:
                {
                    if (!inner.TryGetValue(0x85, out byte[]? tIfd) || tIfd.Length != 8) { return ApduResponse.Status(Sw.WrongData); }
                    byte[] expected = CardSymmetric.Cmac8(_ksMac!, AuthenticationInput(_pkIc!));
                    if (!CryptographicOperations.FixedTimeEquals(expected, tIfd))
                    {
                        // A wrong password shows here: the token over our key does not verify.
                        if (_password == 3)
                        {
                            if (_pinTries > 0) { _pinTries--; }
                            return ApduResponse.Status(0x63C0 | _pinTries);
                        }
                        return ApduResponse.Status(0x6300);
                    }
                    byte[] tIc = CardSymmetric.Cmac8(_ksMac!, AuthenticationInput(_pkIfd!));
                    if (_password == 3) { _pinTries = _settings.PinTries; }
                    Wipe(ref _kPi);
                    _step = 0;
                    _smOpen = true;
                    _ssc = new byte[16];
                    return Dynamic(0x86, tIc);
                }
            }
        }

        // The authentication token input (TR-03110-3 D.3.4): 7F49 { 06 OID, 86 uncompressed point }.
        private byte[] AuthenticationInput(byte[] point)
        {
            byte[] body = CardSymmetric.Concat(new byte[] { 0x06, (byte)_oid.Length }, _oid, new byte[] { 0x86 }, Length(point.Length), point);
            return CardSymmetric.Concat(new byte[] { 0x7F, 0x49 }, Length(body.Length), body);
        }

        private ApduResponse Protected(ApduCommand c)
        {
            if (!_smOpen) { return ApduResponse.Status(0x6882); }
            Increment(_ssc);
            var dos = new List<(int Tag, byte[] Raw, byte[] Value)>();
            int p = 0;
            while (p < c.Data.Length)
            {
                int start = p;
                int tag = c.Data[p++];
                int l = ReadLength(c.Data, ref p);
                if (l < 0 || l > c.Data.Length - p) { EndChannel(); return ApduResponse.Status(0x6988); }
                dos.Add((tag, CardSymmetric.Slice(c.Data, start, p + l - start), CardSymmetric.Slice(c.Data, p, l)));
                p += l;
            }
            if (dos.Count == 0 || dos[^1].Tag != 0x8E) { EndChannel(); return ApduResponse.Status(0x6987); }
            byte[] mac = dos[^1].Value;
            byte[]? cryptogram = null;
            int ne = 0;
            var macInput = new List<byte[]> { _ssc, CardSymmetric.Pad(new[] { c.Cla, c.Ins, c.P1, c.P2 }) };
            for (int i = 0; i < dos.Count - 1; i++)
            {
                var d = dos[i];
                if (d.Tag == 0x87 && cryptogram == null && d.Value.Length >= 17 && d.Value[0] == 0x01 && (d.Value.Length - 1) % 16 == 0)
                {
                    cryptogram = CardSymmetric.Slice(d.Value, 1, d.Value.Length - 1);
                }
                else if (d.Tag == 0x97 && (d.Value.Length == 1 || d.Value.Length == 2))
                {
                    ne = d.Value.Length == 1 ? (d.Value[0] == 0 ? 256 : d.Value[0]) : ((d.Value[0] << 8) | d.Value[1]);
                    if (ne == 0) { ne = 65536; }
                }
                else
                {
                    EndChannel();
                    return ApduResponse.Status(0x6988);
                }
                macInput.Add(d.Raw);
            }
            // The MAC covers SSC || pad(header) || DOs, padded once more as a whole.
            byte[] all = CardSymmetric.Pad(CardSymmetric.Concat(macInput.ToArray()));
            if (mac.Length != 8 || !CryptographicOperations.FixedTimeEquals(CardSymmetric.Cmac8(_ksMac!, all), mac))
            {
                EndChannel();
                return ApduResponse.Status(0x6988);
            }
            byte[]? data = null;
            if (cryptogram != null)
            {
                data = CardSymmetric.Unpad(CardSymmetric.DecryptCbc(_ksEnc!, CardSymmetric.EncryptBlock(_ksEnc!, _ssc), cryptogram));
                if (data == null) { EndChannel(); return ApduResponse.Status(0x6988); }
            }
            ProtectedCommands++;
            _files.Secure = true;
            ApduResponse plain = _files.Process(new ApduCommand((byte)(c.Cla & 0xF3), c.Ins, c.P1, c.P2, data, ne));
            _files.Secure = false;
            if (data != null) { Array.Clear(data); }

            Increment(_ssc);
            byte[] do87 = Array.Empty<byte>();
            if (plain.Data.Length > 0)
            {
                byte[] enc = CardSymmetric.EncryptCbc(_ksEnc!, CardSymmetric.EncryptBlock(_ksEnc!, _ssc), CardSymmetric.Pad(plain.Data));
                byte[] value = CardSymmetric.Concat(new byte[] { 0x01 }, enc);
                do87 = CardSymmetric.Concat(new byte[] { 0x87 }, Length(value.Length), value);
            }
            byte[] do99 = { 0x99, 0x02, (byte)(plain.Sw >> 8), (byte)plain.Sw };
            byte[] rmac = CardSymmetric.Cmac8(_ksMac!, CardSymmetric.Pad(CardSymmetric.Concat(_ssc, do87, do99)));
            if (TamperNextResponseMac)
            {
                TamperNextResponseMac = false;
                rmac[7] ^= 0x01;
            }
            byte[] body = CardSymmetric.Concat(do87, do99, new byte[] { 0x8E, 0x08 }, rmac);
            return new ApduResponse(body, plain.Sw);
        }

        private byte[] Random(int n)
        {
            if (RandomOverride != null) { return RandomOverride(n); }
            var b = new byte[n];
            RandomNumberGenerator.Fill(b);
            return b;
        }

        private BigInteger Scalar() => RandomOverride != null ? CardCurve.U(RandomOverride(_curve.FieldLength)) : _curve.RandomScalar();

        private ApduResponse Dynamic(int tag, byte[] value)
        {
            byte[] inner = CardSymmetric.Concat(new[] { (byte)tag }, Length(value.Length), value);
            return ApduResponse.Ok(CardSymmetric.Concat(new byte[] { 0x7C }, Length(inner.Length), inner));
        }

        private void EndProtocol()
        {
            _step = 0;
            _nonce = BigInteger.Zero;
            _mappedG = CardPoint.AtInfinity;
            Wipe(ref _kPi);
            if (!_smOpen)
            {
                Wipe(ref _ksEnc);
                Wipe(ref _ksMac);
            }
        }

        private void EndChannel()
        {
            _smOpen = false;
            Wipe(ref _ksEnc);
            Wipe(ref _ksMac);
            Array.Clear(_ssc);
        }

        private static void Wipe(ref byte[]? key)
        {
            if (key != null) { Array.Clear(key); }
            key = null;
        }

        private static void Increment(byte[] ssc)
        {
            for (int i = ssc.Length - 1; i >= 0; i--)
            {
                if (++ssc[i] != 0) { break; }
            }
        }

        private static byte[] Length(int n) =>
            n < 0x80 ? new[] { (byte)n } : n < 0x100 ? new byte[] { 0x81, (byte)n } : new byte[] { 0x82, (byte)(n >> 8), (byte)n };

        // BER length at p (1, 81, 82 forms); -1 when malformed.
        private static int ReadLength(byte[] b, ref int p)
        {
            if (p >= b.Length) { return -1; }
            int first = b[p++];
            if (first < 0x80) { return first; }
            if (first == 0x81 && p < b.Length) { return b[p++]; }
            if (first == 0x82 && p + 1 < b.Length) { int l = (b[p] << 8) | b[p + 1]; p += 2; return l; }
            return -1;
        }

        // Simple TLVs (one- or two-byte tags: 7F4C) in [offset, offset+count); null when malformed.
        private static Dictionary<int, byte[]>? Tlvs(byte[] b, int offset, int count)
        {
            var r = new Dictionary<int, byte[]>();
            int p = offset, end = offset + count;
            while (p < end)
            {
                int tag = b[p++];
                if ((tag & 0x1F) == 0x1F)
                {
                    if (p >= end) { return null; }
                    tag = (tag << 8) | b[p++];
                }
                int l = ReadLength(b, ref p);
                if (l < 0 || l > end - p) { return null; }
                r[tag] = CardSymmetric.Slice(b, p, l);
                p += l;
            }
            return r;
        }

        // The file system: read condition "pin" is satisfied only by a command that came in under SM.
        private sealed class SecuredFiles : Iso7816Application
        {
            public bool Secure;

            protected override bool PinVerified => Secure;
        }
    }
}
