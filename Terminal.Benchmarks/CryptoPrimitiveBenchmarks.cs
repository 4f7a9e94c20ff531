using System;
using BenchmarkDotNet.Attributes;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// The managed primitives against System.Security.Cryptography: one AES-128 block, one 3DES block, AES-CMAC of
    /// 256 bytes, SHA-1 and SHA-256 of 1 KB. All allocation-free per call after warm-up.
    /// </summary>
    [MemoryDiagnoser]
    public class CryptoPrimitiveBenchmarks
    {
        private readonly byte[] _key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        private readonly byte[] _block = new byte[16];
        private readonly byte[] _data = new byte[1024];
        private readonly byte[] _digest = new byte[32];
        private IBlockCipher _aes = null!;
        private IBlockCipher _tdes = null!;
        private Cmac _cmac = null!;
        private readonly Sha1 _sha1 = new Sha1();
        private readonly Sha256 _sha256 = new Sha256();

        /// <summary>Cipher implementation.</summary>
        [Params("managed", "desktop")]
        public string Implementation { get; set; } = "managed";

        [GlobalSetup]
        public void Setup()
        {
            ICipherFactory f = Implementation == "managed" ? ManagedCipherFactory.Instance : DesktopCipherFactory.Instance;
            _aes = f.CreateAes(_key, 0, 16);
            _tdes = f.CreateTripleDes(_key, 0, 16);
            _cmac = new Cmac(f.CreateAes(_key, 0, 16));
        }

        [Benchmark]
        public void Aes128Block() => _aes.EncryptBlock(_block, 0, _block, 0);

        [Benchmark]
        public void TripleDesBlock() => _tdes.EncryptBlock(_block, 0, _block, 0);

        [Benchmark]
        public void Cmac256Bytes()
        {
            _cmac.Update(_data, 0, 256);
            _cmac.Finish(_digest, 0);
        }

        /// <summary>Managed only (the desktop has its own hashes; this is what the device runs).</summary>
        [Benchmark]
        public void Sha1Of1KB()
        {
            _sha1.Update(_data, 0, 1024);
            _sha1.Finish(_digest, 0);
        }

        /// <summary>Managed only.</summary>
        [Benchmark]
        public void Sha256Of1KB()
        {
            _sha256.Update(_data, 0, 1024);
            _sha256.Finish(_digest, 0);
        }
    }
}
