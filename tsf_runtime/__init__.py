"""Running the TSF Assistant: settings, the process launcher and the web page server."""
