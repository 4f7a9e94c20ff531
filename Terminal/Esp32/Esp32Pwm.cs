using System.Device.Pwm;

namespace Terminal.Esp32
{
    /// <summary>The one nanoFramework-only PWM call, kept apart so that the desktop compile check of this folder can stand in for it.</summary>
    internal static class Esp32Pwm
    {
        /// <summary>A PWM channel on a pin already routed with SetPinFunction(pin, PWM1); LEDC divides the 80 MHz APB clock.</summary>
        internal static PwmChannel Create(int gpio, int frequencyHz)
        {
            return PwmChannel.CreateFromPin(gpio, frequencyHz, 0.5);
        }
    }
}
