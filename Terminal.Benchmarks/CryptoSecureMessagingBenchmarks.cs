using System;
using BenchmarkDotNet.Attributes;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Iso7816.SecureMessaging;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// Secure messaging per APDU: wrapping a 255-byte case 4 command and unwrapping a 256-byte protected response,
    /// for AES (PACE) and 3DES (BAC), on the managed ciphers (what nanoFramework runs) and on
    /// System.Security.Cryptography. Target: 0 bytes allocated per call after warm-up.
    /// </summary>
    [MemoryDiagnoser]
    public class CryptoSecureMessagingBenchmarks
    {
        private readonly byte[] _command = new byte[6 + 255];
        private readonly byte[] _wrapped = new byte[6 + 255 + SecureMessagingCodec.MaxWrapOverhead];
        private readonly byte[] _plain = new byte[512];
        private byte[] _ssc = Array.Empty<byte>();
        private byte[] _response = Array.Empty<byte>();
        private SecureMessagingCodec _codec = null!;

        /// <summary>Suite and cipher implementation.</summary>
        [Params("AES/managed", "AES/desktop", "3DES/managed", "3DES/desktop")]
        public string Suite { get; set; } = "AES/managed";

        [GlobalSetup]
        public void Setup()
        {
            bool aes = Suite.StartsWith("AES", StringComparison.Ordinal);
            ICipherFactory factory = Suite.EndsWith("managed", StringComparison.Ordinal) ? ManagedCipherFactory.Instance : DesktopCipherFactory.Instance;
            byte[] kEnc = Convert.FromHexString("F5F0E35C0D7161EE6724EE513A0D9A7F");
            byte[] kMac = Convert.FromHexString("FE251C7858B356B24514B3BD5F4297D1");
            _ssc = new byte[aes ? 16 : 8];
            _codec = new SecureMessagingCodec(MakeSuite(aes, factory, kEnc, kMac), _ssc, 0);

            _command[1] = 0xD6;
            _command[4] = 255;
            for (int i = 0; i < 255; i++)
            {
                _command[5 + i] = (byte)i;
            }
            _response = BuildResponse(MakeSuite(aes, ManagedCipherFactory.Instance, kEnc, kMac), _ssc.Length);
        }

        private static ISecureMessagingCipher MakeSuite(bool aes, ICipherFactory factory, byte[] kEnc, byte[] kMac) =>
            aes ? new AesSecureMessagingCipher(factory, kEnc, 0, kMac, 0, 16) : new TripleDesSecureMessagingCipher(factory, kEnc, 0, kMac, 0);

        // The card's protected answer to the command (SSC = 2): DO'87' (256 bytes of data), DO'99', DO'8E'.
        private static byte[] BuildResponse(ISecureMessagingCipher card, int n)
        {
            byte[] ssc = new byte[n];
            ssc[n - 1] = 2;
            int padded = 256 + n;
            byte[] plain = new byte[padded];
            for (int i = 0; i < 256; i++)
            {
                plain[i] = (byte)(255 - i);
            }
            plain[256] = 0x80;
            byte[] r = new byte[4 + 1 + padded + 4 + 10 + 2];
            r[0] = 0x87;
            r[1] = 0x82;
            r[2] = (byte)((padded + 1) >> 8);
            r[3] = (byte)(padded + 1);
            r[4] = 0x01;
            card.Encrypt(ssc, 0, plain, 0, padded, r, 5);
            int o = 5 + padded;
            r[o++] = 0x99;
            r[o++] = 2;
            r[o++] = 0x90;
            r[o++] = 0x00;
            byte[] macInput = new byte[n + ((o + n) / n) * n];
            Array.Copy(ssc, macInput, n);
            Array.Copy(r, 0, macInput, n, o);
            macInput[n + o] = 0x80;
            card.BeginMac();
            card.UpdateMac(macInput, 0, macInput.Length);
            r[o++] = 0x8E;
            r[o++] = 8;
            card.FinishMac(r, o);
            o += 8;
            r[o++] = 0x90;
            r[o++] = 0x00;
            return r;
        }

        /// <summary>Protects a 255-byte case 4 command.</summary>
        [Benchmark]
        public int Wrap255()
        {
            _codec.SetSendSequenceCounter(_ssc, 0);
            return _codec.Wrap(_command, 0, _command.Length, _wrapped, 0);
        }

        /// <summary>Verifies and decrypts a protected response with 256 bytes of data.</summary>
        [Benchmark]
        public int Unwrap256()
        {
            _ssc[_ssc.Length - 1] = 1;
            _codec.SetSendSequenceCounter(_ssc, 0);
            _ssc[_ssc.Length - 1] = 0;
            int n = _codec.Unwrap(_response, 0, _response.Length, _plain, 0);
            if (n != 258)
            {
                throw new InvalidOperationException("unwrap failed: " + n);
            }
            return n;
        }
    }
}
