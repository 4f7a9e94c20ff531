using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Terminal.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Simulator
{
    /// <summary>
    /// The virtual CPS application as Debian's OpenSC sees it, at APDU level: stock pcscd with
    /// vsmartcard's vpcd driver, our card application as the vicc on loopback. Needs pcscd,
    /// vsmartcard-vpcd and opensc (apt-get install -y pcscd vsmartcard-vpcd opensc); skips with a
    /// message when they are missing, fails when CI=true.
    /// </summary>
    // One pcscd per machine (fixed socket): with the end-to-end tests that start pcscd, never beside them.
    [Collection(Terminal.Tests.EndToEnd.PcscdCollection.Name)]
    public class CpsOpenScTests
    {
        private const string VpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
        private readonly ITestOutputHelper _out;

        public CpsOpenScTests(ITestOutputHelper output) { _out = output; }

        private bool Missing(string what)
        {
            string message = $"skipped: {what} (apt-get install -y pcscd vsmartcard-vpcd opensc)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }
            _out.WriteLine(message);
            return true;
        }

        [Fact]
        public void CpsOpensc_OpenScToolNamesTheVirtualCps3IasEcc_AndPkcs15ToolListsPinKeysAndCertificates()
        {
            foreach (string f in new[] { "/usr/sbin/pcscd", "/usr/bin/opensc-tool", "/usr/bin/pkcs15-tool", VpcdDriver })
            {
                if (!File.Exists(f) && Missing(f + " not found")) { return; }
            }
            if (File.Exists("/run/pcscd/pcscd.pid") && Missing("another pcscd is running")) { return; }

            string conf = Directory.CreateTempSubdirectory("sim-vpcd-").FullName;
            File.WriteAllText(Path.Combine(conf, "vpcd"),
                $"FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x8C7B\nLIBPATH {VpcdDriver}\nCHANNELID 0x8C7B\n");
            VirtualCard card = VirtualCard.FromProfile("cps3");
            using var pcscd = Process.Start(new ProcessStartInfo("/usr/sbin/pcscd", $"--foreground --config {conf}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            pcscd.OutputDataReceived += (_, _) => { };
            pcscd.ErrorDataReceived += (_, _) => { };
            pcscd.BeginOutputReadLine();
            pcscd.BeginErrorReadLine();
            var stop = new CancellationTokenSource();
            Thread? vicc = null;
            try
            {
                vicc = new Thread(() => ServeVicc(card, stop.Token)) { IsBackground = true };
                vicc.Start();
                string name = Run("/usr/bin/opensc-tool", "-n");
                _out.WriteLine(name);
                Assert.Contains("IAS-ECC", name);
                string dump = Run("/usr/bin/pkcs15-tool", "-D");
                _out.WriteLine(dump);
                Assert.Contains("PIN [PIN CPS]", dump);
                Assert.Contains("Private RSA Key [CPS_PRIV_SIG]", dump);
                Assert.Contains("Private RSA Key [CPS_PRIV_AUT]", dump);
                Assert.Contains("X.509 Certificate [CPS_CERT_SIG]", dump);
                Assert.Contains("X.509 Certificate [CPS_CERT_AUT]", dump);
                Assert.Contains("Key ref        : 130 (0x82)", dump);

                // Login and an RSA-PKCS signature with the authentication key, verified with its certificate.
                const string module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
                if (File.Exists("/usr/bin/pkcs11-tool") && File.Exists(module))
                {
                    string msg = Path.Combine(conf, "msg"), sig = Path.Combine(conf, "sig");
                    File.WriteAllText(msg, "fiche de soins");
                    string id = Convert.ToHexString(IasEccApplication.IasAid).ToLowerInvariant() + "02";
                    string signed = Run("/usr/bin/pkcs11-tool", $"--module {module} --login --pin 1234 --sign -m RSA-PKCS --id {id} -i {msg} -o {sig}");
                    _out.WriteLine(signed);
                    var rsa = ((IasEccApplication)card.Application).Pki.AuthenticationKey;
                    Assert.True(RawMatches(rsa, File.ReadAllBytes(sig), "fiche de soins"), "the signature opens to the signed data with the card's key");
                }
            }
            finally
            {
                stop.Cancel();
                // SIGTERM, so that pcscd removes its files (after SIGKILL a new start can refuse).
                Terminal.Tests.EndToEnd.PcscStack.Signal(pcscd.Id, 15);
                if (!pcscd.WaitForExit(10_000)) { pcscd.Kill(); }
                vicc?.Join(5000);
                Directory.Delete(conf, true);
            }
        }

        private static bool RawMatches(System.Security.Cryptography.RSA rsa, byte[] signature, string text)
        {
            // CKM_RSA_PKCS over raw data: the recovered block is 00 01 FF.. 00 <data>.
            var p = rsa.ExportParameters(false);
            var n = new System.Numerics.BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
            var e = new System.Numerics.BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true);
            var s = new System.Numerics.BigInteger(signature, isUnsigned: true, isBigEndian: true);
            byte[] m = System.Numerics.BigInteger.ModPow(s, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
            byte[] data = System.Text.Encoding.ASCII.GetBytes(text);
            if (m.Length < data.Length + 10 || m[0] != 0x01) { return false; }
            for (int i = 0; i < data.Length; i++) { if (m[m.Length - data.Length + i] != data[i]) { return false; } }
            return m[m.Length - data.Length - 1] == 0x00;
        }

        private static string Run(string exe, string args)
        {
            // pcscd and the vicc need a moment to meet: retry until the card is there.
            string output = "";
            for (int attempt = 0; attempt < 20; attempt++)
            {
                using Process p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                if (!p.WaitForExit(60_000)) { p.Kill(); }
                output = o;
                if (p.ExitCode == 0 && !o.Contains("No smart card readers", StringComparison.Ordinal)) { return o; }
                Thread.Sleep(500);
            }
            return output;
        }

        /// <summary>The vicc side of the vpcd protocol, serving the card's application.</summary>
        private static void ServeVicc(VirtualCard card, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = new TcpClient("127.0.0.1", 0x8C7B);
                    NetworkStream s = client.GetStream();
                    using CancellationTokenRegistration reg = stop.Register(() => client.Dispose());
                    while (true)
                    {
                        byte[]? f = VpcdBridge.ReadFrame(s);
                        if (f == null) { break; }
                        if (f.Length == 1)
                        {
                            if (f[0] == 4) { VpcdBridge.WriteFrame(s, card.Atr.Bytes); }
                            else { card.Application.Reset(); }
                            continue;
                        }
                        ApduCommand? cmd = ApduCommand.Parse(f, 0, f.Length);
                        ApduResponse r = cmd == null ? ApduResponse.Status(Sw.WrongLength) : card.Application.Process(cmd);
                        VpcdBridge.WriteFrame(s, r.ToBytes());
                    }
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Thread.Sleep(200);
                }
                catch (Exception)
                {
                    return;
                }
            }
        }
    }
}
