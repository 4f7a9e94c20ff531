using System;
using Terminal.Iso7816;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.SecureMessaging;

namespace Terminal.Pace
{
    /// <summary>
    /// The reader's side of PACE over APDUs (BSI TR-03110-3 B.1, ICAO 9303-11 4.4.4): MSE:Set AT with the protocol,
    /// the password reference and an optional CHAT, then the four General Authenticate steps chained with CLA 10
    /// (encrypted nonce; mapping keys; ephemeral keys; tokens). On success it yields the AES secure messaging codec
    /// with the session keys and SSC 0.
    /// </summary>
    /// <remarks>The password bytes stay the caller's (it wipes them); every key derived here is wiped on every exit
    /// path. Allocates its working buffers per run: PACE is not on the per-APDU relay path.</remarks>
    public sealed class PaceReader
    {
        /// <summary>Password reference of MSE:Set AT DO'83' (TR-03110-3 D.2.1.2): MRZ.</summary>
        public const int PasswordMrz = 1;

        /// <summary>Password reference: CAN.</summary>
        public const int PasswordCan = 2;

        /// <summary>Password reference: PIN.</summary>
        public const int PasswordPin = 3;

        /// <summary>Password reference: PUK.</summary>
        public const int PasswordPuk = 4;

        private readonly IApduChannel _channel;
        private readonly ICipherFactory _ciphers;
        private readonly byte[] _command = new byte[300];
        private readonly byte[] _response = new byte[300];
        private SecureMessagingCodec? _secureMessaging;
        private int _mseStatusWord = -1;
        private int _cardStatusWord = -1;
        private int _step;
        private int _failedStep;

        // Where the value found by the last Step starts in _response.
        private int _valueAt;

        /// <summary>PACE over <paramref name="channel"/> with the ciphers of <paramref name="ciphers"/>.</summary>
        public PaceReader(IApduChannel channel, ICipherFactory ciphers)
        {
            _channel = channel;
            _ciphers = ciphers;
        }

        /// <summary>The secure messaging of the established channel, or null.</summary>
        public SecureMessagingCodec? SecureMessaging
        {
            get { return _secureMessaging; }
        }

        /// <summary>Status word of MSE:Set AT (9000, or 63Cx: PIN retries left; -1 before it ran). PC/SC part 10
        /// amd. 1 EstablishPACEChannel reports it to the host.</summary>
        public int MseStatusWord
        {
            get { return _mseStatusWord; }
        }

        /// <summary>The step that failed in the last <see cref="Establish"/>: 0 MSE:Set AT (or none), 1 to 4 the General
        /// Authenticate steps (encrypted nonce, mapping, key agreement, tokens). BSI TR-03119 reports it to the host
        /// (Result F003xxxx to F006xxxx).</summary>
        public int FailedStep
        {
            get { return _failedStep; }
        }

        /// <summary>Status word of the last General Authenticate (-1 before any).</summary>
        public int CardStatusWord
        {
            get { return _cardStatusWord; }
        }

        /// <summary>
        /// Runs PACE with the password <paramref name="password"/>[<paramref name="offset"/>, +<paramref name="length"/>)
        /// (MRZ information, CAN or PIN characters) of kind <paramref name="passwordReference"/>, for
        /// <paramref name="algorithm"/> on the curve of <paramref name="ec"/>. <paramref name="chat"/> (may be null)
        /// is the certificate holder authorization template DO'7F4C' to send, whole.
        /// </summary>
        /// <returns>A <see cref="PaceResult"/>.</returns>
        public int Establish(PaceAlgorithm algorithm, IEcArithmetic ec, int passwordReference, byte[] password, int offset, int length,
            byte[]? chat, int chatOffset, int chatLength)
        {
            if (_secureMessaging != null)
            {
                _secureMessaging.Clear();
                _secureMessaging = null;
            }
            _mseStatusWord = -1;
            _cardStatusWord = -1;
            _step = 0;
            _failedStep = 0;
            if (length <= 0 || (chat != null && chatLength > 200))
            {
                return PaceResult.BadParameter;
            }

            PaceCrypto pace = new PaceCrypto(algorithm, ec, _ciphers);
            EcCurve curve = ec.Curve;
            int n = curve.FieldLength;
            int pl = curve.PointLength;
            int keyLength = algorithm.KeyLength;
            byte[] kPi = new byte[keyLength];
            byte[] nonce = new byte[32];
            byte[] g = new byte[pl];
            byte[] sk = new byte[n];
            byte[] pkIfd = new byte[pl];
            byte[] pkIc = new byte[pl];
            byte[] h = new byte[pl];
            byte[] mapped = new byte[pl];
            byte[] secret = new byte[n];
            byte[] ksEnc = new byte[keyLength];
            byte[] ksMac = new byte[keyLength];
            byte[] token = new byte[8];
            try
            {
                // MSE:Set AT (TR-03110-3 B.11.1): 80 OID, 83 password reference, [7F4C CHAT].
                int o = 0;
                _command[o++] = 0x00;
                _command[o++] = 0x22;
                _command[o++] = 0xC1;
                _command[o++] = 0xA4;
                int lcAt = o++;
                _command[o++] = 0x80;
                _command[o++] = (byte)algorithm.OidLength;
                algorithm.GetOid(_command, o);
                o += algorithm.OidLength;
                _command[o++] = 0x83;
                _command[o++] = 0x01;
                _command[o++] = (byte)passwordReference;
                if (chat != null)
                {
                    Array.Copy(chat, chatOffset, _command, o, chatLength);
                    o += chatLength;
                }
                _command[lcAt] = (byte)(o - lcAt - 1);
                int r = Exchange(o);
                if (r < 0)
                {
                    return PaceResult.TransmitFailed;
                }
                _mseStatusWord = StatusWord(r);
                if (_mseStatusWord != 0x9000 && (_mseStatusWord & 0xFFF0) != 0x63C0)
                {
                    return PaceResult.MseSetAtFailed;
                }

                if (passwordReference == PasswordMrz)
                {
                    pace.MrzKey(password, offset, length, kPi, 0);
                }
                else
                {
                    pace.PasswordKey(password, offset, length, kPi, 0);
                }

                // GA 1: encrypted nonce (80).
                int got = Step(true, 0, null, 0, 0, 0x80);
                if (got < 0)
                {
                    return got;
                }
                int at = _valueAt;
                if (got > nonce.Length)
                {
                    return PaceResult.BadLength;
                }
                r = pace.DecryptNonce(kPi, 0, _response, at, got, nonce, 0);
                if (r != PaceError.None)
                {
                    return r;
                }
                int nonceLength = got;

                // GA 2: mapping keys (81 ours, 82 the card's), then G' = s·G + H.
                curve.GetGenerator(g, 0);
                r = pace.GenerateKeyPair(g, 0, sk, 0, pkIfd, 0);
                if (r != PaceError.None)
                {
                    return r;
                }
                got = Step(true, 0x81, pkIfd, 0, pl, 0x82);
                if (got < 0)
                {
                    return got;
                }
                if (got != pl)
                {
                    return PaceResult.MalformedResponse;
                }
                Array.Copy(_response, _valueAt, pkIc, 0, pl);
                r = pace.MapGenerator(nonce, 0, nonceLength, sk, 0, n, pkIc, 0, h, 0, mapped, 0);
                if (r != PaceError.None)
                {
                    return r;
                }

                // GA 3: ephemeral keys on G' (83 ours, 84 the card's), then K.
                r = pace.GenerateKeyPair(mapped, 0, sk, 0, pkIfd, 0);
                if (r != PaceError.None)
                {
                    return r;
                }
                got = Step(true, 0x83, pkIfd, 0, pl, 0x84);
                if (got < 0)
                {
                    return got;
                }
                if (got != pl)
                {
                    return PaceResult.MalformedResponse;
                }
                Array.Copy(_response, _valueAt, pkIc, 0, pl);
                r = pace.SharedSecret(sk, 0, n, pkIfd, 0, pkIc, 0, secret, 0);
                if (r != PaceError.None)
                {
                    return r;
                }
                pace.DeriveKey(secret, 0, n, PaceCrypto.CounterEnc, ksEnc, 0);
                pace.DeriveKey(secret, 0, n, PaceCrypto.CounterMac, ksMac, 0);

                // GA 4: tokens (85 T_IFD over the card's key, 86 T_IC over ours), last of the chain.
                pace.Token(ksMac, 0, pkIc, 0, token, 0);
                got = Step(false, 0x85, token, 0, 8, 0x86);
                if (got < 0)
                {
                    return got;
                }
                if (got != 8)
                {
                    return PaceResult.MalformedResponse;
                }
                r = pace.VerifyToken(ksMac, 0, pkIfd, 0, _response, _valueAt);
                if (r != PaceError.None)
                {
                    return r;
                }

                _secureMessaging = new SecureMessagingCodec(
                    new AesSecureMessagingCipher(_ciphers, ksEnc, 0, ksMac, 0, keyLength), new byte[16], 0);
                _failedStep = 0;
                return PaceResult.Success;
            }
            finally
            {
                Array.Clear(kPi, 0, kPi.Length);
                Array.Clear(nonce, 0, nonce.Length);
                Array.Clear(sk, 0, sk.Length);
                Array.Clear(h, 0, h.Length);
                Array.Clear(mapped, 0, mapped.Length);
                Array.Clear(secret, 0, secret.Length);
                Array.Clear(ksEnc, 0, ksEnc.Length);
                Array.Clear(ksMac, 0, ksMac.Length);
                Array.Clear(token, 0, token.Length);
                Array.Clear(_command, 0, _command.Length);
                Array.Clear(_response, 0, _response.Length);
            }
        }

        /// <summary>Ends the channel: wipes the session keys (DestroyPACEChannel, card removal, SM error).</summary>
        public void Close()
        {
            if (_secureMessaging != null)
            {
                _secureMessaging.Clear();
                _secureMessaging = null;
            }
        }

        // One General Authenticate: 7C { tag value } (or 7C 00), Le 00; expects 7C { expectedTag value } 9000.
        // Returns the value length (value at _valueAt) or a negative PaceResult.
        private int Step(bool chained, int tag, byte[]? value, int valueOffset, int valueLength, int expectedTag)
        {
            _step++;
            _failedStep = _step;
            int o = 0;
            _command[o++] = (byte)(chained ? 0x10 : 0x00);
            _command[o++] = 0x86;
            _command[o++] = 0x00;
            _command[o++] = 0x00;
            int lcAt = o++;
            _command[o++] = 0x7C;
            if (value == null)
            {
                _command[o++] = 0x00;
            }
            else
            {
                int inner = 1 + BerTlv.LengthOfLength(valueLength) + valueLength;
                o = BerTlv.WriteLength(_command, o, inner);
                _command[o++] = (byte)tag;
                o = BerTlv.WriteLength(_command, o, valueLength);
                Array.Copy(value, valueOffset, _command, o, valueLength);
                o += valueLength;
            }
            _command[lcAt] = (byte)(o - lcAt - 1);
            _command[o++] = 0x00;
            int r = Exchange(o);
            if (r < 0)
            {
                return PaceResult.TransmitFailed;
            }
            _cardStatusWord = StatusWord(r);
            if (_cardStatusWord != 0x9000)
            {
                return PaceResult.GeneralAuthenticateFailed;
            }
            int end = r - 2;
            int p = 0;
            int outerLength;
            if (end < 2 || _response[p++] != 0x7C || !BerTlv.ReadLength(_response, ref p, end, out outerLength) || p + outerLength != end)
            {
                return PaceResult.MalformedResponse;
            }
            while (p < end)
            {
                int t = _response[p++];
                int l;
                if (p >= end || !BerTlv.ReadLength(_response, ref p, end, out l) || l > end - p)
                {
                    return PaceResult.MalformedResponse;
                }
                if (t == expectedTag)
                {
                    _valueAt = p;
                    return l;
                }
                p += l;
            }
            return PaceResult.MalformedResponse;
        }

        private int Exchange(int length)
        {
            int r = _channel.Transmit(_command, 0, length, _response, 0);
            if (r < 2 || r > _response.Length)
            {
                return -1;
            }
            return r;
        }

        private int StatusWord(int length)
        {
            return (_response[length - 2] << 8) | _response[length - 1];
        }

    }
}
