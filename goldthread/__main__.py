from goldthread.cli import main

main()
