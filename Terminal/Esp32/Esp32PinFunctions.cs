using nanoFramework.Hardware.Esp32;
using Terminal.Boards;

namespace Terminal.Esp32
{
    /// <summary>
    /// Routes the ESP32's peripherals to the reference pins through the GPIO matrix
    /// (nanoFramework.Hardware.Esp32 Configuration.SetPinFunction): COM2 (UART1) to the card I/O line,
    /// COM3 (UART2) to the host's USB-UART bridge, a PWM channel to the card clock.
    /// </summary>
    internal static class Esp32PinFunctions
    {
        internal static void Apply(BoardConfig config)
        {
            Configuration.SetPinFunction(config.CardTxPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(config.CardRxPin, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(config.HostTxPin, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(config.HostRxPin, DeviceFunction.COM3_RX);
            Configuration.SetPinFunction(config.CardClockPin, DeviceFunction.PWM1);
        }
    }
}
