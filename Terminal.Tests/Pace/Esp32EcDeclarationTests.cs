using System;
using System.Collections.Generic;
using System.IO;
using Terminal.Tests.Boards;
using Terminal.Tests.NanoFramework;
using Xunit;

namespace Terminal.Tests.Pace
{
    /// <summary>The ESP32 EC helper's managed declaration (hardware/esp32-ec/managed) compiles for nanoFramework 1.x
    /// with only what the device runs, and declares exactly the native methods the C side implements.</summary>
    public class Esp32EcDeclarationTests
    {
        [Fact]
        public void NanoFramework_Esp32EcInteropDeclaration_PassesThePortabilityReferee()
        {
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckProject(Repository.PathOf("hardware/esp32-ec/managed/Terminal.Esp32Ec.nfproj"));
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }

        [Theory]
        [InlineData("NativeIsOnCurve___STATIC__BOOLEAN__I4__SZARRAY_U1__I4")]
        [InlineData("NativeMultiply___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4")]
        [InlineData("NativeMultiplyAdd___STATIC__BOOLEAN__I4__SZARRAY_U1__I4__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4")]
        [InlineData("NativeRandomScalar___STATIC__VOID__I4__SZARRAY_U1__I4")]
        public void NanoFramework_Interop_EveryNativeStubOfTheLookupTableIsImplemented(string stub)
        {
            string dir = Repository.PathOf("hardware/esp32-ec/native");
            Assert.Contains(stub, File.ReadAllText(Path.Combine(dir, "Terminal_Esp32Ec.cpp")), StringComparison.Ordinal);
            Assert.Contains("::" + stub + "(CLR_RT_StackFrame &stack)",
                File.ReadAllText(Path.Combine(dir, "Terminal_Esp32Ec_Terminal_Esp32Ec_Esp32EcArithmetic.cpp")), StringComparison.Ordinal);
        }
    }
}
