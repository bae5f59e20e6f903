print("afscan: under construction")
