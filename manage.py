#!/usr/bin/env python
from goldthread.cli import main

if __name__ == "__main__":
    main()
