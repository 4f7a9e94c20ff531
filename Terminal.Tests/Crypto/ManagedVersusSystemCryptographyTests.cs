using System;
using System.Security.Cryptography;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Terminal.Iso7816.SecureMessaging;
using Xunit;

namespace Terminal.Tests.Crypto
{
    /// <summary>
    /// The managed ciphers (which run on nanoFramework) against .NET's System.Security.Cryptography (OpenSSL) on
    /// random keys and data, and the desktop implementation of the secure messaging suites against the managed one.
    /// </summary>
    public class ManagedVersusSystemCryptographyTests
    {
        private static readonly Random Seeded = new Random(20261202);

        private static byte[] RandomBytes(int n)
        {
            byte[] b = new byte[n];
            Seeded.NextBytes(b);
            return b;
        }

        [Theory]
        [InlineData(16)]
        [InlineData(24)]
        [InlineData(32)]
        public void Aes_EcbAndCbc_MatchSystemCryptography(int keyLength)
        {
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(keyLength);
                byte[] iv = RandomBytes(16);
                byte[] data = RandomBytes(16 * (1 + round % 7));
                using Aes reference = Aes.Create();
                reference.Key = key;
                ManagedAes managed = new ManagedAes(key, 0, keyLength);

                byte[] ecb = new byte[16];
                managed.EncryptBlock(data, 0, ecb, 0);
                Assert.Equal(reference.EncryptEcb(data.AsSpan(0, 16), PaddingMode.None), ecb);
                managed.DecryptBlock(data, 0, ecb, 0);
                Assert.Equal(reference.DecryptEcb(data.AsSpan(0, 16), PaddingMode.None), ecb);

                byte[] cbc = new byte[data.Length];
                managed.EncryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.EncryptCbc(data, iv, PaddingMode.None), cbc);
                managed.DecryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.DecryptCbc(data, iv, PaddingMode.None), cbc);
            }
        }

        [Fact]
        public void Des_EcbAndCbc_MatchSystemCryptography()
        {
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(8);
                if (DES.IsWeakKey(key) || DES.IsSemiWeakKey(key))
                {
                    continue;
                }
                byte[] iv = RandomBytes(8);
                byte[] data = RandomBytes(8 * (1 + round % 9));
                using DES reference = DES.Create();
                reference.Key = key;
                ManagedDes managed = new ManagedDes(key, 0);
                byte[] cbc = new byte[data.Length];
                managed.EncryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.EncryptCbc(data, iv, PaddingMode.None), cbc);
                managed.DecryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.DecryptCbc(data, iv, PaddingMode.None), cbc);
            }
        }

        [Theory]
        [InlineData(16)]
        [InlineData(24)]
        public void TripleDes_EcbAndCbc_MatchSystemCryptography(int keyLength)
        {
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(keyLength);
                byte[] iv = RandomBytes(8);
                byte[] data = RandomBytes(8 * (1 + round % 9));
                using TripleDES reference = TripleDES.Create();
                try
                {
                    // OpenSSL 3 takes two-key 3DES only as the equivalent three-key K1 || K2 || K1.
                    reference.Key = keyLength == 24 ? key : [.. key, .. key.AsSpan(0, 8)];
                }
                catch (CryptographicException)
                {
                    continue; // .NET refuses keys whose parts coincide (degenerate to single DES).
                }
                ManagedTripleDes managed = new ManagedTripleDes(key, 0, keyLength);
                byte[] cbc = new byte[data.Length];
                managed.EncryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.EncryptCbc(data, iv, PaddingMode.None), cbc);
                managed.DecryptCbc(iv, 0, data, 0, data.Length, cbc, 0);
                Assert.Equal(reference.DecryptCbc(data, iv, PaddingMode.None), cbc);
            }
        }

        [Fact]
        public void RetailMac_MatchesDesCbcThenTripleDesOfTheLastBlock()
        {
            // ISO/IEC 9797-1 MAC algorithm 3 equals: single-DES CBC under K1 over all but the last block, then
            // two-key 3DES (K1, K2) of the last block xor that chaining value. Built here from .NET's DES and 3DES.
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(16);
                byte[] data = RandomBytes(8 * (1 + round % 12));
                RetailMac mac = new RetailMac(new ManagedDes(key, 0), new ManagedDes(key, 8));
                mac.Update(data, 0, data.Length);
                byte[] tag = new byte[8];
                mac.Finish(tag, 0);

                using DES des = DES.Create();
                using TripleDES tdes = TripleDES.Create();
                try
                {
                    des.Key = key.AsSpan(0, 8).ToArray();
                    tdes.Key = [.. key, .. key.AsSpan(0, 8)];
                }
                catch (CryptographicException)
                {
                    continue;
                }
                byte[] chain = new byte[8];
                if (data.Length > 8)
                {
                    byte[] head = des.EncryptCbc(data.AsSpan(0, data.Length - 8), new byte[8], PaddingMode.None);
                    chain = head.AsSpan(head.Length - 8).ToArray();
                }
                byte[] expected = tdes.EncryptCbc(data.AsSpan(data.Length - 8), chain, PaddingMode.None);
                Assert.Equal(expected, tag);
            }
        }

        [Fact]
        public void Cmac_OnDesktopAes_MatchesManaged()
        {
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(16 + 8 * (round % 3));
                byte[] data = RandomBytes(round);
                Cmac managed = new Cmac(new ManagedAes(key, 0, key.Length));
                Cmac desktop = new Cmac(DesktopBlockCipher.CreateAes(key, 0, key.Length));
                byte[] a = new byte[16];
                byte[] b = new byte[16];
                managed.Update(data, 0, data.Length);
                managed.Finish(a, 0);
                desktop.Update(data, 0, data.Length);
                desktop.Finish(b, 0);
                Assert.Equal(a, b);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void SecureMessagingSuites_DesktopAndManagedProduceTheSameApdus(bool aes)
        {
            byte[] kEnc = RandomBytes(16);
            byte[] kMac = RandomBytes(16);
            byte[] ssc = RandomBytes(aes ? 16 : 8);
            SecureMessagingCodec managed = Codec(ManagedCipherFactory.Instance, aes, kEnc, kMac, ssc);
            SecureMessagingCodec desktop = Codec(DesktopCipherFactory.Instance, aes, kEnc, kMac, ssc);
            for (int round = 0; round < 100; round++)
            {
                int lc = Seeded.Next(0, 600);
                byte[] command = new byte[lc == 0 ? 5 : (lc > 255 ? 9 + lc : 6 + lc)];
                command[1] = (byte)(Seeded.Next(0, 128) * 2 + (round % 2));
                if (lc > 255)
                {
                    command[5] = (byte)(lc >> 8);
                    command[6] = (byte)lc;
                    Seeded.NextBytes(command.AsSpan(7, lc));
                }
                else if (lc > 0)
                {
                    command[4] = (byte)lc;
                    Seeded.NextBytes(command.AsSpan(5, lc));
                }
                byte[] a = new byte[command.Length + SecureMessagingCodec.MaxWrapOverhead];
                byte[] b = new byte[a.Length];
                int na = managed.Wrap(command, 0, command.Length, a, 0);
                int nb = desktop.Wrap(command, 0, command.Length, b, 0);
                Assert.True(na > 0);
                Assert.Equal(a.AsSpan(0, na).ToArray(), b.AsSpan(0, nb).ToArray());
            }
        }

        [Fact]
        public void DesktopSuites_ReproduceIcaoD4AndPaceVectorsC()
        {
            SecureMessagingCodec des = Codec(DesktopCipherFactory.Instance, false,
                Convert.FromHexString("979EC13B1CBFE9DCD01AB0FED307EAE5"), Convert.FromHexString("F1CB1F1FB5ADF208806B89DC579DC1F8"),
                Convert.FromHexString("887022120C06C226"));
            Assert.Equal("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", WrapHex(des, "00A4020C02011E"));
            byte[] response = Convert.FromHexString("990290008E08FA855A5D4C50A8ED9000");
            byte[] plain = new byte[16];
            Assert.Equal(2, des.Unwrap(response, 0, response.Length, plain, 0));

            SecureMessagingCodec aes = Codec(DesktopCipherFactory.Instance, true,
                Convert.FromHexString("F5F0E35C0D7161EE6724EE513A0D9A7F"), Convert.FromHexString("FE251C7858B356B24514B3BD5F4297D1"),
                new byte[16]);
            Assert.Equal("0CA4020C1D871101EE0E4724F4465C1BE9C2F73ABDD73A3D8E08835D1B54575C955F00", WrapHex(aes, "00A4020C02011E"));
        }

        private static string WrapHex(SecureMessagingCodec codec, string hex)
        {
            byte[] c = Convert.FromHexString(hex);
            byte[] o = new byte[c.Length + SecureMessagingCodec.MaxWrapOverhead];
            int n = codec.Wrap(c, 0, c.Length, o, 0);
            return Convert.ToHexString(o, 0, n);
        }

        private static SecureMessagingCodec Codec(ICipherFactory factory, bool aes, byte[] kEnc, byte[] kMac, byte[] ssc)
        {
            ISecureMessagingCipher cipher = aes
                ? new AesSecureMessagingCipher(factory, kEnc, 0, kMac, 0, 16)
                : new TripleDesSecureMessagingCipher(factory, kEnc, 0, kMac, 0);
            return new SecureMessagingCodec(cipher, ssc, 0);
        }
    }
}
