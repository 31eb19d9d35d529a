# recall case: report text built with `+=` under the main guard
# expect: HS103@9 "report += f"
import csv

if __name__ == "__main__":
    report = ""
    with open("sales.csv") as fh:
        for row in csv.DictReader(fh):
            report += f"{row['region']}: {row['total']}\n"
    print(report)
