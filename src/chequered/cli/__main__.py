from chequered.cli.app import main

main()
