from flytec.cli import main

main()
