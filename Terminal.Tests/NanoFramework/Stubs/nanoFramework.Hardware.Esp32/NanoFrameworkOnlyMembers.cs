// Members that nanoFramework's own System.Device.* assemblies have and the desktop ones lack, for
// the nanoFramework-only code of Terminal/Esp32. Declared as C# 14 static extension members on the
// desktop types so the same source compiles; the referee maps a call to `X__NanoFramework.M` back to
// `X.M` and checks it against the package's full nanoFramework list, in nanoFramework-only files only.
namespace System.Device.Pwm
{
    public static class PwmChannel__NanoFramework
    {
        extension(PwmChannel)
        {
            public static PwmChannel CreateFromPin(int pin, int frequency, double dutyCyclePercentage) => throw new PlatformNotSupportedException();
        }
    }
}
